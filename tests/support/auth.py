"""A test authenticator: `X-Test-User: <name or user id>` becomes that principal.

Two fixed principals are always known (`admin` and `user`, no user rows); `add_user` creates a
real user row (for foreign keys such as `updated_by`) reachable by its id. The runtime's
authenticator is restored when the test ends.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from pydantic import SecretStr
from sqlalchemy import text
from starlette.requests import Request

from revenge.identity import Principal
from revenge.runtime import Runtime

HEADER = "X-Test-User"
ADMIN = Principal(uuid.UUID(int=1), "admin", "admin")
USER = Principal(uuid.UUID(int=2), "user", "user")


class HeaderAuthenticator:
    """Maps the X-Test-User header to a known principal."""

    def __init__(self) -> None:
        self.principals: dict[str, Principal] = {"admin": ADMIN, "user": USER}

    async def authenticate(self, request: Request) -> Principal | None:
        return self.principals.get(request.headers.get(HEADER, ""))

    def headers(self, principal: Principal) -> dict[str, str]:
        return {HEADER: str(principal.user_id)}

    async def add_user(
        self, runtime: Runtime, username: str, role: str = "user", email: str | None = None
    ) -> Principal:
        """Create a user row and make it reachable through the header."""
        user_id = uuid.uuid4()
        async with runtime.db.transaction() as session:
            await session.execute(
                text("INSERT INTO users (id, username, email, role) VALUES (:id, :u, :e, :r)"),
                {"id": user_id, "u": username, "e": email, "r": role},
            )
        principal = Principal(user_id=user_id, username=username, role=role)
        self.principals[str(user_id)] = principal
        return principal


@contextmanager
def header_auth(runtime: Runtime) -> Iterator[HeaderAuthenticator]:
    previous = runtime.authenticator
    runtime.authenticator = auth = HeaderAuthenticator()
    try:
        yield auth
    finally:
        runtime.authenticator = previous


def metrics_scraper(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Configure `server.metrics_token`; returns the headers a Prometheus scraper sends."""
    token = "test-metrics-scraper-token"
    monkeypatch.setattr(runtime.settings.server, "metrics_token", SecretStr(token))
    return {"Authorization": f"Bearer {token}"}
