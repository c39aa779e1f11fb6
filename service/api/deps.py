"""What every router needs, defined once: the request's session, the service,
the caller (bearer tokens with scopes) and the errors routes document.

The config holds only the sha256 hex digest of each token, never the token.
A request's token is hashed and compared in constant time with every known
digest. No token, or an unknown one: 401. A known token without the scope the
route needs: 403. Tokens are never logged; a token is named by its `name`.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from sqlalchemy.orm import Session

from service.config import SCOPES, ApiToken, Scope
from service.runtime.compose import Service


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the token's name and its scopes."""

    name: str
    scopes: frozenset[str]


def token_digest(token: str) -> str:
    """The sha256 hex digest stored in the config for `token`."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class TokenTable:
    """The configured tokens, by digest."""

    def __init__(self, tokens: Iterable[ApiToken]) -> None:
        self._tokens = [(t.sha256.lower(), Principal(t.name, frozenset(t.scopes))) for t in tokens]

    def __len__(self) -> int:
        return len(self._tokens)

    def authenticate(self, token: str) -> Principal | None:
        digest = token_digest(token)
        found: Principal | None = None
        for known, principal in self._tokens:  # no early exit: same time for every token
            if hmac.compare_digest(known, digest):
                found = principal
        return found


def service(request: Request) -> Service:
    """The service objects this app was built with (`service.runtime.compose`)."""
    built: Service = request.app.state.service
    return built


ServiceDep = Annotated[Service, Depends(service)]


def db_session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the route returns, else rolled back.

    Reads commit too, on purpose: on PostgreSQL a ROLLBACK makes psycopg drop the
    connection's prepared statements, and every statement would be planned again."""
    with service(request).sessions() as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


SessionDep = Annotated[Session, Depends(db_session)]

bearer = HTTPBearer(auto_error=False, description="An API token from the config (sha256 there)")


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, detail=detail, headers={"WWW-Authenticate": "Bearer"}
    )


def authenticate(request: Request, credentials: HTTPAuthorizationCredentials | None) -> Principal:
    """The caller of `request`; 401 without a token or with an unknown one."""
    if credentials is None or not credentials.credentials.strip():
        raise _unauthorized("missing bearer token")
    table: TokenTable = request.app.state.tokens
    principal = table.authenticate(credentials.credentials.strip())
    if principal is None:
        raise _unauthorized("invalid token")
    return principal


def with_scope(principal: Principal, scope: Scope) -> Principal:
    """`principal`, when it holds `scope`; 403 otherwise."""
    if scope not in principal.scopes:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, detail=f"token {principal.name!r} lacks scope {scope!r}"
        )
    return principal


def require(scope: Scope) -> Callable[..., Principal]:
    """A dependency: the caller must hold a token with `scope` (403 otherwise)."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")

    def dependency(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> Principal:
        return with_scope(authenticate(request, credentials), scope)

    dependency.required_scope = scope  # type: ignore[attr-defined]
    return dependency


Reader = Annotated[Principal, Depends(require("read"))]
Claimer = Annotated[Principal, Depends(require("claim"))]
Admin = Annotated[Principal, Depends(require("admin"))]


class ErrorOut(BaseModel):
    """Every error answer: `{"detail": "one line that says what is wrong"}`."""

    detail: str


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The documented error answers of a route: 401 and 403 always, plus `codes`."""
    described = {
        401: "no bearer token, or one the config does not know",
        403: "the token lacks the scope this route needs",
        404: "no such item",
        409: "the item is not in a state that allows this",
        422: "a parameter or body field is not valid",
        502: "the tracker failed",
    }
    return {
        code: {"model": ErrorOut, "description": described[code]}
        for code in sorted({401, 403, *codes})
    }
