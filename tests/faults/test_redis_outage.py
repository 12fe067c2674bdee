"""Redis stopped and started again under concurrent API load: no 5xx, the cache recovers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from revenge.app import create_app
from revenge.runtime import Runtime
from revenge.testing.auth import header_auth
from revenge.testing.services import PrivateRedis
from revenge.testing.settings import make_settings
from tests.support.waiting import eventually

# (path, caller) pairs driven concurrently; None is an anonymous caller.
CALLS: list[tuple[str, str | None]] = [
    ("/health/ready", None),
    ("/api/v1/system/info", None),
    ("/metrics", "admin"),
    ("/api/v1/admin/jobs", "admin"),
    ("/api/v1/admin/jobs/periodic", "admin"),
]


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


@pytest.fixture
async def rt(
    private_redis: PrivateRedis, database_url: str, tmp_path: Path
) -> AsyncIterator[Runtime]:
    settings = make_settings(tmp_path, database_url, private_redis.url)
    runtime = await Runtime.create(settings, apply_migrations=False)
    yield runtime
    await runtime.close()


@pytest.fixture
async def client(rt: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(rt.settings, run_worker=False, runtime=rt)
    with header_auth(rt):
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
                yield c


async def _drive(
    client: httpx.AsyncClient, path: str, who: str | None, stop: asyncio.Event, seen: list[int]
) -> None:
    headers = {"X-Test-User": who} if who else {}
    while not stop.is_set():
        seen.append((await client.get(path, headers=headers)).status_code)
        await asyncio.sleep(0.005)


async def _cache_user(rt: Runtime, stop: asyncio.Event, failures: list[BaseException]) -> None:
    """Read-through use of the cache, as a feature would: it must never raise."""
    n = 0
    while not stop.is_set():
        n += 1
        try:
            if await rt.cache.get(f"item:{n % 20}") is None:
                await rt.cache.set(f"item:{n % 20}", b"x", 30)
            if n % 7 == 0:
                await rt.cache.delete(f"item:{n % 20}")
        except BaseException as exc:
            failures.append(exc)
        await asyncio.sleep(0.002)


async def test_no_5xx_while_redis_is_down_and_cache_recovers(
    private_redis: PrivateRedis, rt: Runtime, client: httpx.AsyncClient
) -> None:
    stop = asyncio.Event()
    seen: list[int] = []
    failures: list[BaseException] = []
    tasks = [asyncio.create_task(_drive(client, p, who, stop, seen)) for p, who in CALLS * 2]
    tasks.append(asyncio.create_task(_cache_user(rt, stop, failures)))
    await asyncio.sleep(0.3)
    private_redis.stop()
    during_start = len(seen)
    await asyncio.sleep(1.5)
    assert await rt.cache.status() == "degraded"
    during = seen[during_start:]
    private_redis.start()

    async def healthy() -> bool:
        return await rt.cache.status() == "ok"

    await eventually(healthy, timeout=10, what="cache to reconnect")
    await asyncio.sleep(0.3)
    stop.set()
    await asyncio.gather(*tasks)

    assert len(during) > 50, "too little load while Redis was down"
    assert set(seen) == {200}, sorted(set(seen))
    assert not failures, failures[:3]
    await rt.cache.set("after", b"back", 30)
    assert await rt.cache.get("after") == b"back"
