"""What every router needs: the session of the request, the clock, the state."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, is_dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from fastapi import HTTPException, Request, status
from sqlalchemy.orm import Session

from service.api.state import AppState


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.service
    return state


def db_session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the route returns, else rolled back.

    Reads commit too, on purpose: on PostgreSQL a ROLLBACK makes psycopg drop the
    connection's prepared statements, and every statement would be planned again."""
    sessions = app_state(request).sessions
    with sessions() as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def utcnow() -> datetime:
    return datetime.now(UTC)


def plain(value: Any) -> Any:
    """A dataclass (nested), enum or datetime as JSON-ready values."""
    if is_dataclass(value) and not isinstance(value, type):
        return plain(asdict(value))
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def stored_source(request: Request, source: str) -> str:
    """A configured source's name, or a stored source name, as tickets are stored."""
    sources = app_state(request).sources
    if sources.config(source) is not None:
        try:
            return sources.stored_name(source)
        except ValueError as exc:
            raise HTTPException(status.HTTP_409_CONFLICT, detail=str(exc)) from None
    return source
