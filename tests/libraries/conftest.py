"""Fixtures for library and scanner tests: signed-in callers, libraries on real folders."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from revenge.runtime import Runtime
from revenge.scanning.scan import ScanRequest, ScanState, run_scan
from revenge.testing.auth import ADMIN, USER, header_auth

AS_ADMIN = {"x-test-user": "admin"}
AS_USER = {"x-test-user": "user"}


@pytest.fixture
async def api(
    client: httpx.AsyncClient, clean_runtime: Runtime
) -> AsyncIterator[httpx.AsyncClient]:
    """The test client with header sign-in and the two test users present.

    The plain user sees only libraries granted to them (`all_libraries` off).
    """
    async with clean_runtime.db.transaction() as session:
        conn = await session.connection()
        for p in (ADMIN, USER):
            await conn.exec_driver_sql(
                "INSERT INTO users (id, username, role, all_libraries)"
                " VALUES (%(id)s, %(name)s, %(role)s, false)",
                {"id": p.user_id, "name": p.username, "role": p.role},
            )
    with header_auth(clean_runtime):
        yield client


LibraryMaker = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture
def make_library(api: httpx.AsyncClient, tmp_path: Path) -> LibraryMaker:
    async def make(
        kind: str, *folders: Path, name: str | None = None, scan: bool = False
    ) -> dict[str, Any]:
        paths = list(folders) or [tmp_path / kind]
        for p in paths:
            p.mkdir(parents=True, exist_ok=True)
        response = await api.post(
            "/api/v1/libraries",
            json={"name": name or f"{kind}-{uuid.uuid4().hex[:6]}", "type": kind,
                  "paths": [str(p) for p in paths], "scan": scan},
            headers=AS_ADMIN,
        )  # fmt: skip
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    return make


Scanner = Callable[..., Awaitable[ScanState]]


@pytest.fixture
def scan(clean_runtime: Runtime) -> Scanner:
    """Run a scan to completion in this process (the job function's body)."""

    async def run(library: dict[str, Any], scan_type: str = "incremental", **kw: Any) -> ScanState:
        state = await run_scan(
            clean_runtime, ScanRequest(uuid.UUID(library["id"]), scan_type, **kw)
        )
        assert state is not None
        return state

    return run
