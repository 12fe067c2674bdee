"""A session revoked while Redis was cut off stays revoked when Redis comes back with its old
data (a partition, not a restart: the stale cache entry is still there)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import redis

from revenge.app import create_app
from revenge.identity.tokens import cache_key, token_hash
from revenge.runtime import Runtime
from revenge.sessions.policy import EPOCH_CHECK_SECONDS
from revenge.testing.services import PrivateRedis
from revenge.testing.settings import make_settings
from tests.accounts.conftest import PASSWORD, bearer, login, make_user
from tests.conftest import truncate_all
from tests.support.tcp_proxy import TcpProxy


@pytest.fixture
def partitioned_redis() -> Iterator[tuple[PrivateRedis, TcpProxy]]:
    server = PrivateRedis()
    server.start()
    proxy = TcpProxy(server.port)
    yield server, proxy
    proxy.close()
    server.stop()


@pytest.fixture
async def node(
    partitioned_redis: tuple[PrivateRedis, TcpProxy], database_url: str, tmp_path: Path
) -> AsyncIterator[Runtime]:
    truncate_all(database_url)
    settings = make_settings(tmp_path, database_url, partitioned_redis[1].redis_url)
    runtime = await Runtime.create(settings, apply_migrations=False)
    yield runtime
    await runtime.close()


@pytest.fixture
async def api(node: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(node.settings, run_worker=False, runtime=node)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("198.51.100.8", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://node") as client:
            yield client


async def wait_for_cache(runtime: Runtime, status: str) -> None:
    for _ in range(100):
        if await runtime.cache.status() == status:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"the cache never became {status!r}")


async def test_a_revocation_made_during_a_partition_wins_afterwards(
    node: Runtime,
    api: httpx.AsyncClient,
    partitioned_redis: tuple[PrivateRedis, TcpProxy],
) -> None:
    server, proxy = partitioned_redis
    await make_user(node, "alice")
    token = (await login(api, "alice", PASSWORD))["access_token"]
    for _ in range(3):
        assert (await api.get("/api/v1/users/me", headers=bearer(token))).status_code == 200
    key = node.settings.cache.redis_prefix + cache_key("session", token_hash(token))
    direct = redis.Redis(port=server.port)
    assert direct.exists(key), "the session was not cached in Redis"

    proxy.cut()
    await wait_for_cache(node, "degraded")
    assert (await api.post("/api/v1/auth/logout", headers=bearer(token))).status_code == 204
    assert (await api.get("/api/v1/users/me", headers=bearer(token))).status_code == 401
    assert direct.exists(key), "Redis lost its data: this would be a restart, not a partition"

    proxy.restore()
    await wait_for_cache(node, "ok")
    await asyncio.sleep(EPOCH_CHECK_SECONDS)
    answers = [
        (await api.get("/api/v1/users/me", headers=bearer(token))).status_code for _ in range(20)
    ]
    assert answers == [401] * 20
    direct.close()
