"""A header-based authenticator for tests of features that need a signed-in caller."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from starlette.requests import Request

from revenge.api.auth import Principal
from revenge.runtime import Runtime

ADMIN = Principal(uuid.UUID(int=1), "admin", "admin")
USER = Principal(uuid.UUID(int=2), "user", "user")


class HeaderAuthenticator:
    """`X-Test-User: admin|user` selects a fixed principal."""

    def __init__(self, principals: dict[str, Principal] | None = None) -> None:
        self.principals = principals or {"admin": ADMIN, "user": USER}

    async def authenticate(self, request: Request) -> Principal | None:
        return self.principals.get(request.headers.get("x-test-user", ""))


@contextmanager
def header_auth(runtime: Runtime) -> Iterator[HeaderAuthenticator]:
    previous = runtime.authenticator
    runtime.authenticator = auth = HeaderAuthenticator()
    try:
        yield auth
    finally:
        runtime.authenticator = previous
