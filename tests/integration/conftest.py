"""Database fixtures for integration tests, on SQLite and on PostgreSQL.

- `backend`: "sqlite" or "postgresql" (tests that use a database run on both);
- `database_url`: a database of its own for this test run, migrated by `engine`;
- `engine`: that database, upgraded to the head revision;
- `session`: a session inside a transaction that is rolled back after the test;
- `sessions`: a sessionmaker for code that commits (sync, workers); every row is
  deleted after the test;
- `empty_database_url`: a brand-new empty database for this one test.

PostgreSQL comes from BACKLOG_SYNC_TEST_POSTGRES_URL (default: the local server,
user postgres, database `test`); each run creates its own database next to it
and drops it at the end, so runs never see each other's rows. When PostgreSQL
does not answer, its tests are skipped with the reason, except under CI=true,
where they fail.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from service.db import make_engine, make_sessionmaker, normalise_url, upgrade

POSTGRES_URL_ENV = "BACKLOG_SYNC_TEST_POSTGRES_URL"
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_server_url() -> URL:
    return normalise_url(os.environ.get(POSTGRES_URL_ENV) or DEFAULT_POSTGRES_URL)


def _admin_engine(server: URL) -> Engine:
    return create_engine(
        server,
        isolation_level="AUTOCOMMIT",
        connect_args={"connect_timeout": 3},
        poolclass=NullPool,
    )


def require_postgres() -> URL:
    """The server URL, or skip (fail under CI=true) when PostgreSQL does not answer."""
    server = postgres_server_url()
    admin = _admin_engine(server)
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as exc:
        reason = (
            f"PostgreSQL at {server.render_as_string(hide_password=True)} does not answer "
            f"({type(exc.orig).__name__}); set {POSTGRES_URL_ENV}"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    finally:
        admin.dispose()
    return server


@contextmanager
def fresh_postgres_database(server: URL) -> Iterator[str]:
    """A new empty database on the server, dropped afterwards."""
    name = f"bs_test_{secrets.token_hex(6)}"
    admin = _admin_engine(server)
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield server.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(
    scope="session",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture(scope="session")
def database_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if backend == "sqlite":
        path = tmp_path_factory.mktemp("db") / "backlog-sync.db"
        yield f"sqlite:///{path}"
        return
    with fresh_postgres_database(require_postgres()) as url:
        yield url


@pytest.fixture
def empty_database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    with fresh_postgres_database(require_postgres()) as url:
        yield url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back after the test (commits become savepoints)."""
    connection = engine.connect()
    transaction = connection.begin()
    db_session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield db_session
    finally:
        db_session.close()
        transaction.rollback()
        connection.close()


def delete_all_rows(engine: Engine) -> None:
    """Empty every table of the schema (children first), keeping the schema."""
    from service.db import Base

    existing = set(inspect(engine).get_table_names())
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name in existing:
                connection.execute(table.delete())


@pytest.fixture
def sessions(engine: Engine) -> Iterator[sessionmaker[Session]]:
    """Sessions that really commit; the tables are emptied after the test."""
    delete_all_rows(engine)
    try:
        yield make_sessionmaker(engine)
    finally:
        delete_all_rows(engine)
