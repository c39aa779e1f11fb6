"""Bearer tokens with scopes.

The config holds only the sha256 hex digest of each token, never the token.
A request's token is hashed and compared in constant time with every known
digest. No token, or an unknown one: 401. A known token without the scope the
route needs: 403. Tokens are never logged; a token is named by its `name`.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from fastapi import HTTPException, Request, status

from service.config import ApiToken

SCOPES = ("read", "claim", "admin")


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the token's name and its scopes."""

    name: str
    scopes: frozenset[str]


def token_digest(token: str) -> str:
    """The sha256 hex digest stored in the config for `token`."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class TokenTable:
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


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, detail=detail, headers={"WWW-Authenticate": "Bearer"}
    )


def authenticate(request: Request) -> Principal:
    table: TokenTable = request.app.state.tokens
    token = bearer_token(request)
    if token is None:
        raise _unauthorized("missing bearer token")
    principal = table.authenticate(token)
    if principal is None:
        raise _unauthorized("invalid token")
    return principal


def require(scope: str) -> Callable[[Request], Principal]:
    """A FastAPI dependency: the caller must hold a token with `scope`."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")

    def dependency(request: Request) -> Principal:
        principal = authenticate(request)
        if scope not in principal.scopes:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN, detail=f"token {principal.name!r} lacks scope {scope!r}"
            )
        return principal

    dependency.required_scope = scope  # type: ignore[attr-defined]
    return dependency
