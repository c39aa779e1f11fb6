"""`db`: the database schema (Alembic migrations)."""

from __future__ import annotations

from typing import Annotated

import typer

from service import db
from service.cli.common import (
    ConfigOption,
    JsonOption,
    handles_errors,
    load,
    out,
    print_json,
    shown,
)

db_app = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)


@db_app.command("upgrade")
@handles_errors
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
    as_json: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Migrate the database (BACKLOG_SYNC_DATABASE_URL) to the newest schema."""
    settings, _ = load(config)
    engine = db.make_engine(settings.database_url)
    try:
        before = db.current_revision(engine)
        db.upgrade(engine, revision)
        after = db.current_revision(engine)
    finally:
        engine.dispose()
    where = db.safe_url(settings.database_url)
    if as_json:
        print_json({"database": where, "before": before, "after": after})
    elif before == after:
        out.print(f"{shown(where)}: already at {after}")
    else:
        out.print(f"{shown(where)}: {before or 'empty'} -> {after}")


@db_app.command("current")
@handles_errors
def db_current(as_json: JsonOption = False, config: ConfigOption = None) -> None:
    """Show the database's schema revision and whether it is the newest."""
    settings, _ = load(config)
    engine = db.make_engine(settings.database_url)
    try:
        current = db.current_revision(engine)
    finally:
        engine.dispose()
    head = db.head_revision()
    if as_json:
        where = db.safe_url(settings.database_url)
        print_json(
            {"database": where, "current": current, "head": head, "up_to_date": current == head}
        )
        return
    state = "up to date" if current == head else f"behind (newest is {head})"
    out.print(f"{shown(db.safe_url(settings.database_url))}: {current or 'empty'}, {state}")
