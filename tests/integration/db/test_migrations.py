"""Migrations: up from empty, down to nothing, up again; models match migrations."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from service.db import (
    SchemaError,
    all_metadata,
    current_revision,
    downgrade,
    ensure_schema,
    head_revision,
    is_at_head,
    make_engine,
    upgrade,
)

OUR_TABLES = {
    "sources",
    "tickets",
    "assessments",
    "queue_entries",
    "queue_entry_areas",
    "claimed_areas",
    "applied_labels",
}


def test_upgrade_downgrade_upgrade_on_an_empty_database(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    try:
        assert current_revision(engine) is None
        assert not is_at_head(engine)

        upgrade(engine)
        assert is_at_head(engine)
        assert set(inspect(engine).get_table_names()) >= OUR_TABLES

        downgrade(engine, "base")
        assert current_revision(engine) is None
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}

        upgrade(engine)
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_upgrade_accepts_a_url_from_any_working_directory(
    empty_database_url: str, tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(str(tmp_path))
    upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    try:
        assert is_at_head(engine)
    finally:
        engine.dispose()


def test_autogenerate_finds_no_difference_between_models_and_migrations(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, all_metadata())
    assert diff == []


def test_ensure_schema_migrates_sqlite_and_only_checks_postgresql(
    backend: str, empty_database_url: str
) -> None:
    engine = make_engine(empty_database_url)
    try:
        if backend == "sqlite":
            ensure_schema(engine)
            assert is_at_head(engine)
        else:
            with pytest.raises(SchemaError, match="backlog-sync db upgrade"):
                ensure_schema(engine)
            assert current_revision(engine) is None
            upgrade(engine)
            ensure_schema(engine)  # at head: no error
    finally:
        engine.dispose()
