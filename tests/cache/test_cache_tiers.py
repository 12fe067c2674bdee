"""The cache: memory tier, Redis tier, invalidation across nodes, and Redis going away."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from revenge.app import create_app
from revenge.infra.cache import MemoryCache, TieredCache
from revenge.runtime import Runtime
from revenge.testing.services import PrivateRedis
from revenge.testing.settings import make_settings
from tests.support.waiting import eventually


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


@pytest.fixture
async def two_nodes(private_redis: PrivateRedis) -> AsyncIterator[tuple[TieredCache, TieredCache]]:
    a = TieredCache(private_redis.url, MemoryCache(), "t:")
    b = TieredCache(private_redis.url, MemoryCache(), "t:")
    await a.start()
    await b.start()
    yield a, b
    await a.close()
    await b.close()


async def test_memory_cache_expires_and_evicts() -> None:
    cache = MemoryCache(max_entries=2)
    await cache.set("a", b"1", 0.05)
    await cache.set("b", b"2", 10)
    await cache.set("c", b"3", 10)
    assert await cache.get("a") is None  # evicted (LRU) or expired
    await asyncio.sleep(0.06)
    assert await cache.get("c") == b"3"


async def test_delete_on_one_node_reaches_the_other(
    two_nodes: tuple[TieredCache, TieredCache],
) -> None:
    a, b = two_nodes
    await a.set("session:x", b"alive", 60)
    assert await b.get("session:x") == b"alive"
    assert b.local.get_now("session:x") == b"alive"  # b keeps its own in-process copy
    await a.delete("session:x")

    async def gone_on_b() -> bool:
        return b.local.get_now("session:x") is None and await b.get("session:x") is None

    await eventually(gone_on_b)


async def test_a_value_read_from_redis_is_kept_locally_no_longer_than_there(
    two_nodes: tuple[TieredCache, TieredCache],
) -> None:
    a, b = two_nodes
    await a.set("k", b"v", 0.3)
    assert b.local.get_now("k") is None
    assert await b.get("k") == b"v"
    assert b.local.get_now("k") == b"v"
    await asyncio.sleep(0.35)
    assert b.local.get_now("k") is None  # the copy ends with the Redis entry


async def test_redis_down_falls_through_then_recovers(
    private_redis: PrivateRedis, two_nodes: tuple[TieredCache, TieredCache]
) -> None:
    a, b = two_nodes
    await a.set("k", b"v", 60)
    assert await b.get("k") == b"v"
    private_redis.stop()

    async def local_tier_dropped() -> bool:
        # The subscription notices the lost connection at once and drops the local tier.
        return await a.get("k") is None and await b.get("k") is None

    await eventually(local_tier_dropped, timeout=1.5)
    await a.set("k", b"v2", 60)  # dropped, no error
    await a.delete("k")  # no error
    assert await a.status() == "degraded"
    # While Redis is down the local tier is not trusted: deletes from other nodes can't arrive.
    assert await b.get("k") is None
    private_redis.start()

    async def healthy() -> bool:
        return await a.status() == "ok" and await b.status() == "ok"

    await eventually(healthy, timeout=10)
    await a.set("k", b"v3", 60)
    assert await b.get("k") == b"v3"


@pytest.fixture
async def app_on_private_redis(
    private_redis: PrivateRedis, database_url: str, tmp_path: Path
) -> AsyncIterator[httpx.AsyncClient]:
    settings = make_settings(tmp_path, database_url, private_redis.url)
    runtime = await Runtime.create(settings, apply_migrations=False)
    app = create_app(settings, run_worker=False, runtime=runtime)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            yield client
    await runtime.close()


async def test_requests_succeed_with_redis_stopped(
    private_redis: PrivateRedis, app_on_private_redis: httpx.AsyncClient
) -> None:
    client = app_on_private_redis
    assert (await client.get("/health/ready")).json()["cache"] == "ok"
    private_redis.stop()
    for _ in range(5):
        ready = await client.get("/health/ready")
        assert ready.status_code == 200
        assert ready.json()["cache"] == "degraded"
        assert (await client.get("/api/v1/system/info")).status_code == 200
    private_redis.start()

    async def recovered() -> bool:
        return (await client.get("/health/ready")).json()["cache"] == "ok"

    await eventually(recovered, timeout=10)
