"""Alembic environment for backlog-sync.

`service.db.upgrade` / `downgrade` pass an open connection in
`config.attributes["connection"]`; this file uses it and reads nothing from the
environment. Run as the `alembic` command, it builds its engine with
`service.db.make_engine` from `-x url=...` or the ini's `sqlalchemy.url`.
"""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Connection

from service.db import all_metadata

config = context.config
target_metadata = all_metadata()


def run_with_connection(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things: later revisions use batch operations
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_with_connection(connection)
        return
    # invoked as the `alembic` command line tool
    if config.config_file_name is not None:
        fileConfig(config.config_file_name)
    from service.db import make_engine

    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise SystemExit("no database URL: pass -x url=... or set sqlalchemy.url")
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            run_with_connection(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run against a database")
run_online()
