"""Engines, sessions, the tables' base and migrations.

SQLite (a file next to the service) is the default and suits one process;
PostgreSQL (through psycopg 3) is for several replicas. Migrations are the
Alembic revisions in the top-level `alembic/` directory, run programmatically
with the engine given here, so the CLI, the API's readiness probe and the tests
all use the same code and the same settings object.

Every table derives from `Base` and lives in its domain's `models.py`; they
are registered in one place, `TABLE_MODULES` (an explicit list: nothing is
discovered by file name), which `all_metadata` imports for Alembic and tests.
Datetimes are stored in UTC: `UTCDateTime` refuses naive values on the way in
and gives back aware UTC values on the way out (SQLite keeps no time zone);
`utcnow` is the clock that goes with it.

Services never commit: the edge that starts the work owns the transaction.
"""

from __future__ import annotations

import importlib
import select
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    JSON,
    ColumnElement,
    DateTime,
    Dialect,
    Engine,
    MetaData,
    create_engine,
    event,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError
from sqlalchemy.orm import DeclarativeBase, QueryableAttribute, Session, sessionmaker
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator

DEFAULT_DATABASE_URL = "sqlite:///./backlog-sync.db"

SQLITE_BUSY_TIMEOUT_MS = 10_000

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The migrations: inside the package in an installed wheel (setup.py maps the
# checkout's alembic/ to service/migrations), else the checkout's alembic/ (an
# editable install, the tests). alembic.ini exists only in a checkout.
_PACKAGED_SCRIPTS = Path(__file__).resolve().parent / "migrations"
ALEMBIC_SCRIPTS: Path
ALEMBIC_INI: Path | None
if _PACKAGED_SCRIPTS.is_dir():
    ALEMBIC_SCRIPTS, ALEMBIC_INI = _PACKAGED_SCRIPTS, None
else:
    ALEMBIC_SCRIPTS, ALEMBIC_INI = PROJECT_ROOT / "alembic", PROJECT_ROOT / "alembic.ini"


TABLE_MODULES = (
    "service.tickets.models",
    "service.queue.models",
    "service.webhooks.models",
    "service.runtime.models",
    "service.digest.models",
)
"""Every module that declares tables, in the order their tables depend on each other."""

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Constraint and index names, so migrations can name them on SQLite and PostgreSQL alike."""


class SchemaError(RuntimeError):
    """The database schema is not the one this code expects."""


class DatabaseURLError(ValueError):
    """A database URL that is malformed or names a database this code does not run on."""


SUPPORTED_BACKENDS = ("sqlite", "postgresql")


def utcnow() -> datetime:
    """Now, as an aware UTC datetime (what `UTCDateTime` stores)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored as UTC on every backend."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass a timezone-aware value")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """The base of every table (SQLAlchemy 2, typed `Mapped[]` declarations)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
    }


def normalise_url(url: str | URL) -> URL:
    """Parse a database URL, sending plain PostgreSQL URLs through psycopg 3.

    DatabaseURLError (one line, no password) when it is not a URL, or not SQLite's
    or PostgreSQL's."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseURLError(
            "BACKLOG_SYNC_DATABASE_URL is not a database URL "
            "(use sqlite:///PATH or postgresql://USER@HOST/NAME)"
        ) from None
    if parsed.get_backend_name() not in SUPPORTED_BACKENDS and parsed.drivername != "postgres":
        raise DatabaseURLError(
            f"BACKLOG_SYNC_DATABASE_URL names an unsupported database "
            f"{parsed.get_backend_name()!r} (use SQLite or PostgreSQL)"
        )
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def safe_url(url: str | URL) -> str:
    """The URL with its password hidden, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(not a database URL)"


def make_engine(url: str | URL, **engine_options: Any) -> Engine:
    """An engine for `url`: SQLite with foreign keys, WAL and a busy timeout; or
    PostgreSQL through psycopg 3 (`postgresql://` is mapped to `postgresql+psycopg://`),
    whose pool replaces connections the server closed while they were idle."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _make_sqlite_engine(parsed, **engine_options)
    if not hasattr(select, "poll"):  # Windows: no socket check, ping instead
        engine_options.setdefault("pool_pre_ping", True)
    engine = create_engine(parsed, **engine_options)
    if not engine_options.get("pool_pre_ping"):
        event.listen(engine, "checkout", _replace_closed_connection)
    return engine


def _replace_closed_connection(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """Pool checkout on PostgreSQL: hand out no connection the server has closed.

    A pooled connection is idle, so the server has nothing to say on it until it
    is sent a query; if its socket is readable, or closed, the server has ended
    the session (restart, `pg_terminate_backend`, an idle timeout, a proxy) and
    the pool opens a fresh connection instead (SQLAlchemy's documented checkout
    hook). This is what `pool_pre_ping` is for, without its `SELECT 1` round trip
    on every checkout; a connection that dies during use is invalidated by
    SQLAlchemy as usual."""
    if dbapi_connection.closed or dbapi_connection.broken:
        raise DisconnectionError("the connection is closed")
    poller = select.poll()
    poller.register(dbapi_connection.fileno(), select.POLLIN | select.POLLERR | select.POLLHUP)
    if poller.poll(0):
        raise DisconnectionError("the server closed the connection")


def sqlite_file_exists(url: str | URL) -> bool:
    """False for a SQLite URL whose database file does not exist yet (opening it
    would create it); True for any other URL, in-memory SQLite included."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return True
    return Path(parsed.database).exists()


def _make_sqlite_engine(url: URL, **engine_options: Any) -> Engine:
    in_memory = url.database in (None, "", ":memory:")
    connect_args: dict[str, Any] = {
        "check_same_thread": False,
        "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
    }
    if in_memory:
        # one shared connection, or every new connection would see an empty database
        engine_options.setdefault("poolclass", StaticPool)
    engine = create_engine(url, connect_args=connect_args, **engine_options)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, issue BEGIN, so SAVEPOINT works
        # (SQLAlchemy's documented pysqlite recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            if not in_memory:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE: take the write lock at BEGIN, where the busy timeout applies.
        # A deferred transaction that reads and then writes cannot wait for a
        # writer that committed meanwhile: SQLite answers "database is locked" at
        # once (its snapshot is stale), so concurrent syncs failed without waiting.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def insert_ignore(
    session: Session,
    model: type[DeclarativeBase],
    rows: dict[str, Any] | list[dict[str, Any]],
    returning: ColumnElement[Any] | QueryableAttribute[Any],
    *,
    conflict_on: Sequence[str] | None = None,
) -> list[Any]:
    """INSERT ... ON CONFLICT DO NOTHING for `rows` (one dict or several); the
    `returning` value of each row actually inserted, so `[]` means every row
    already existed. `conflict_on` names the unique columns to test (default:
    any unique constraint). PostgreSQL and SQLite; the one way the service
    claims a row that only one caller may create (job occurrences, webhook
    deliveries, digests, queue area guards)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        stmt: Any = postgresql.insert(model)
    elif dialect == "sqlite":
        stmt = sqlite.insert(model)
    else:
        raise NotImplementedError(f"insert_ignore does not support {dialect}")
    values = rows if isinstance(rows, list) else [rows]
    if not values:
        return []
    stmt = stmt.values(values).on_conflict_do_nothing(
        index_elements=list(conflict_on) if conflict_on is not None else None
    )
    # RETURNING, not rowcount: the ORM execute path does not report rowcount everywhere
    return list(session.scalars(stmt.returning(returning)))


# --- migrations ----------------------------------------------------------------


def all_metadata() -> MetaData:
    """The metadata of every table: each module of `TABLE_MODULES` is imported,
    so its tables register on `Base.metadata`."""
    for name in TABLE_MODULES:
        importlib.import_module(name)
    return Base.metadata


def alembic_config() -> Config:
    """The Alembic configuration, with paths that do not depend on the working
    directory; without an alembic.ini (an installed wheel) it is built in code."""
    config = Config(str(ALEMBIC_INI)) if ALEMBIC_INI is not None else Config()
    config.set_main_option("script_location", str(ALEMBIC_SCRIPTS))
    config.set_main_option("path_separator", "os")
    return config


def head_revision() -> str | None:
    """The newest revision the code knows."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _run_migration(engine_or_url: Engine | str, run: Any) -> None:
    engine = make_engine(engine_or_url) if isinstance(engine_or_url, str) else engine_or_url
    try:
        config = alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            run(config)
    finally:
        if isinstance(engine_or_url, str):
            engine.dispose()


def upgrade(engine_or_url: Engine | str, revision: str = "head") -> None:
    """Migrate the database up to `revision` (all of it by default)."""
    _run_migration(engine_or_url, lambda config: command.upgrade(config, revision))


def downgrade(engine_or_url: Engine | str, revision: str = "base") -> None:
    """Migrate the database down to `revision` (an empty schema by default)."""
    _run_migration(engine_or_url, lambda config: command.downgrade(config, revision))


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; None when it was never migrated."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def is_at_head(engine: Engine) -> bool:
    """True when the schema is the one this code expects (for a readiness probe)."""
    return current_revision(engine) == head_revision()


def ensure_schema(engine: Engine) -> None:
    """Make sure the schema is current before the service uses the database.

    The embedded SQLite default migrates itself on first use. A PostgreSQL
    database is shared by replicas, so it is only checked: migrating it is a
    deliberate step (`backlog-sync db upgrade`).
    """
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return
    if engine.dialect.name == "sqlite":
        upgrade(engine)
        return
    raise SchemaError(
        f"database {safe_url(engine.url)} is at revision {current or 'none (empty)'}, "
        f"this version needs {head}: run `backlog-sync db upgrade`"
    )
