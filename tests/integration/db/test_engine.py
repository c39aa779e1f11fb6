"""The PostgreSQL engine survives the server ending its idle pooled connections."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from service.db import make_engine
from tests.integration.conftest import fresh_postgres_database, require_postgres

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_engine() -> Iterator[Engine]:
    with fresh_postgres_database(require_postgres()) as url:
        engine = make_engine(url, pool_size=1, max_overflow=0)
        try:
            yield engine
        finally:
            engine.dispose()


def _backend_pid(engine: Engine) -> int:
    with engine.connect() as connection:
        pid: int = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
    return pid


def _terminate(engine: Engine, pid: int) -> None:
    """End that session from another connection and wait (up to 5 s) until it is gone."""
    with engine.connect() as other:
        ended = other.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid})
        assert ended.scalar_one() is True


def test_a_connection_the_server_ended_is_replaced_not_handed_out(pg_engine: Engine) -> None:
    pooled = _backend_pid(pg_engine)
    # a second engine, so the pool of the first keeps its one idle connection
    killer = make_engine(pg_engine.url, pool_size=1, max_overflow=0)
    try:
        _terminate(killer, pooled)
    finally:
        killer.dispose()

    # the next use works (no "server closed the connection" error) on a new session
    assert _backend_pid(pg_engine) != pooled


def test_an_idle_pooled_connection_is_reused(pg_engine: Engine) -> None:
    assert _backend_pid(pg_engine) == _backend_pid(pg_engine)
