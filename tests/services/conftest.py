"""Fixtures for the global services: authenticated admin/user clients over the shared app."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import httpx
import pytest

from revenge.identity import Principal
from revenge.runtime import Runtime
from tests.support.auth import HeaderAuthenticator, header_auth


@dataclass
class Actors:
    auth: HeaderAuthenticator
    admin: Principal
    user: Principal

    @property
    def as_admin(self) -> dict[str, str]:
        return self.auth.headers(self.admin)

    @property
    def as_user(self) -> dict[str, str]:
        return self.auth.headers(self.user)


@pytest.fixture
def test_auth(clean_runtime: Runtime) -> Iterator[HeaderAuthenticator]:
    with header_auth(clean_runtime) as auth:
        yield auth


@pytest.fixture
async def actors(
    clean_runtime: Runtime, test_auth: HeaderAuthenticator, client: httpx.AsyncClient
) -> AsyncIterator[Actors]:
    admin = await test_auth.add_user(clean_runtime, "root", "admin", "root@example.org")
    user = await test_auth.add_user(clean_runtime, "alice", "user", "alice@example.org")
    yield Actors(test_auth, admin, user)
