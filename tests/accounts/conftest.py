"""Helpers for account tests: users made through the service, sign-in over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from revenge.accounts.service import NewUser
from revenge.runtime import Runtime
from tests.conftest import clear_login_limits

PASSWORD = "correct horse battery"


async def make_user(
    runtime: Runtime, username: str, *, role: str = "user", password: str = PASSWORD
) -> str:
    async with runtime.db.transaction() as session:
        user = await runtime.accounts.users.create(
            session, NewUser(username=username, password=password, role=role)
        )
        return str(user.id)


async def login(
    client: httpx.AsyncClient, username: str, password: str = PASSWORD, **extra: Any
) -> dict[str, Any]:
    resp = await client.post(
        "/api/v1/auth/login", json={"username": username, "password": password, **extra}
    )
    assert resp.status_code == 200, resp.text
    body: dict[str, Any] = resp.json()
    return body


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(autouse=True)
async def _fresh_limits(runtime: Runtime) -> AsyncIterator[None]:
    await clear_login_limits(runtime)
    yield


@pytest.fixture
async def admin(client: httpx.AsyncClient, clean_runtime: Runtime) -> dict[str, Any]:
    """An administrator created through first-run setup, signed in."""
    resp = await client.post("/api/v1/setup", json={"username": "root", "password": PASSWORD})
    assert resp.status_code == 201, resp.text
    return await login(client, "root")
