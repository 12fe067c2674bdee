"""Fixtures for streaming tests: signed-in callers and a movie library on a real folder."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from revenge.app import create_app
from revenge.config import Settings
from revenge.infra.eager_http import eager_protocol
from revenge.runtime import Runtime
from revenge.streaming.direct import eligible, over_uvicorn
from revenge.testing.auth import USER, header_auth
from revenge.testing.seed import add_file, add_library, add_users
from revenge.testing.services import free_port

AS_ADMIN = {"x-test-user": "admin"}
AS_USER = {"x-test-user": "user"}
CONTENT = bytes(range(256)) * 4000  # 1,024,000 bytes, every offset recognisable


@dataclass
class Media:
    root: Path
    library_id: uuid.UUID
    file_id: uuid.UUID
    path: Path


@pytest.fixture
async def api(
    client: httpx.AsyncClient, clean_runtime: Runtime
) -> AsyncIterator[httpx.AsyncClient]:
    await add_users(clean_runtime)
    with header_auth(clean_runtime):
        yield client


@pytest.fixture
async def media(api: httpx.AsyncClient, clean_runtime: Runtime, tmp_path: Path) -> Media:
    """One video in a library granted to USER."""
    root = tmp_path / "movies"
    library_id = await add_library(clean_runtime, "movie", root, grant=(USER.user_id,))
    path = root / "Heat (1995)" / "Heat (1995).mkv"
    path.parent.mkdir(parents=True)
    path.write_bytes(CONTENT)
    file_id = await add_file(clean_runtime, library_id, path)
    return Media(root, library_id, file_id, path)


@asynccontextmanager
async def uvicorn_serving(app: Any, **config: Any) -> AsyncIterator[str]:
    """`app` served by uvicorn on a loopback port, in this loop: its base URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="on", **config)
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@pytest.fixture
async def served(
    api: httpx.AsyncClient, clean_runtime: Runtime, settings: Settings
) -> AsyncIterator[str]:
    """The app as `revenge serve` serves it: uvicorn, the eager protocol, direct streams."""
    app = over_uvicorn(create_app(settings, run_worker=False, runtime=clean_runtime))
    async with uvicorn_serving(app, http=eager_protocol(eligible)) as url:
        yield url
