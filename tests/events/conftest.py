"""Fixtures for events: the app served over real loopback HTTP, a notifications worker."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from revenge.infra.jobs.worker import Worker
from revenge.runtime import Runtime
from revenge.testing.services import free_port
from tests.support.actors import Actors, actors, test_auth

__all__ = ["actors", "test_auth"]


@pytest.fixture
async def served(app: FastAPI) -> AsyncIterator[str]:
    """The test app (lifespan already running) behind uvicorn on a loopback port."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="off")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    server.force_exit = True
    with contextlib.suppress(Exception):
        await asyncio.wait_for(task, 5)


@pytest.fixture
async def worker(clean_runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Worker]:
    monkeypatch.setattr(clean_runtime.settings.jobs, "retry_base_seconds", 0.2)
    monkeypatch.setattr(clean_runtime.settings.jobs, "poll_seconds", 0.2)
    monkeypatch.setattr(clean_runtime.settings.notifications, "max_attempts", 3)
    monkeypatch.setattr(clean_runtime.settings.notifications, "total_timeout_seconds", 2.0)
    w = Worker(clean_runtime, ("notifications",))
    await w.start()
    yield w
    await w.stop(grace_seconds=2)


async def allow_loopback(client: httpx.AsyncClient, actors: Actors) -> None:
    resp = await client.put(
        "/api/v1/admin/settings/http.outbound_allowlist",
        json={"value": ["127.0.0.1"]},
        headers=actors.as_admin,
    )
    assert resp.status_code == 200, resp.text
