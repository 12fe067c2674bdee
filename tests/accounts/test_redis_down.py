"""Redis stopped: sign-in, validation, revocation and limits keep working on the database.

Also two nodes sharing one Redis: a revoke on one is refused on the other.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from revenge.errors import TooManyRequests
from revenge.identity.client import ClientInfo
from revenge.identity.tokens import cache_key, token_hash
from revenge.runtime import Runtime
from revenge.testing.services import PrivateRedis
from revenge.testing.settings import make_settings
from tests.accounts.conftest import PASSWORD, make_user
from tests.conftest import truncate_all

CLIENT = ClientInfo(ip="198.51.100.4", user_agent="test")


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    redis = PrivateRedis()
    redis.start()
    yield redis
    redis.stop()


@pytest.fixture
async def node(
    private_redis: PrivateRedis, database_url: str, tmp_path: Path
) -> AsyncIterator[Runtime]:
    truncate_all(database_url)
    settings = make_settings(tmp_path, database_url, private_redis.url)
    runtime = await Runtime.create(settings, apply_migrations=False)
    yield runtime
    await runtime.close()


async def sign_in(runtime: Runtime, username: str, password: str = PASSWORD) -> str:
    async with runtime.db.transaction() as session:
        outcome = await runtime.accounts.logins.login(session, username, password, CLIENT)
    if outcome.error is not None:
        raise outcome.error
    assert outcome.issued is not None
    return outcome.issued.access_token


async def revoke(runtime: Runtime, token: str) -> None:
    identity = await runtime.accounts.sessions.validate(token)
    assert identity is not None
    async with runtime.db.transaction() as session:
        assert await runtime.accounts.sessions.invalidate(session, identity.session_id)


async def wait_healthy(runtime: Runtime) -> None:
    for _ in range(100):
        if await runtime.cache.status() == "ok":
            return
        await asyncio.sleep(0.1)
    raise AssertionError("redis did not come back")


async def test_redis_down_then_back(node: Runtime, private_redis: PrivateRedis) -> None:
    sessions = node.accounts.sessions
    await make_user(node, "alice")
    kept, revoked_before, revoked_during = [await sign_in(node, "alice") for _ in range(3)]
    for token in (kept, revoked_before, revoked_during):
        assert await sessions.validate(token) is not None  # now cached in Redis and in process
    await revoke(node, revoked_before)

    private_redis.stop()
    assert await sessions.validate(kept) is not None  # database path
    assert await sessions.validate(revoked_before) is None
    during_outage = await sign_in(node, "alice")  # login works; its limiter uses the database
    assert await sessions.validate(during_outage) is not None
    await revoke(node, revoked_during)
    assert await sessions.validate(revoked_during) is None
    for _ in range(10):
        async with node.db.transaction() as session:
            outcome = await node.accounts.logins.login(session, "alice", "wrong-password", CLIENT)
        assert outcome.error is not None and outcome.error.status == 401
    async with node.db.transaction() as session:
        outcome = await node.accounts.logins.login(session, "alice", PASSWORD, CLIENT)
    assert isinstance(outcome.error, TooManyRequests)  # the limit held without Redis

    private_redis.start()
    await wait_healthy(node)
    for token in (revoked_before, revoked_during):
        assert await sessions.validate(token) is None
    assert await sessions.validate(kept) is not None
    assert await node.cache.get(cache_key("session", token_hash(kept))) is not None


async def test_revoke_on_one_node_is_refused_on_another(
    node: Runtime, private_redis: PrivateRedis, database_url: str, tmp_path: Path
) -> None:
    other_settings = make_settings(tmp_path, database_url, private_redis.url)
    other_settings.cache.redis_prefix = node.settings.cache.redis_prefix  # one cluster
    other = await Runtime.create(other_settings, apply_migrations=False)
    try:
        await make_user(node, "alice")
        token = await sign_in(node, "alice")
        assert await other.accounts.sessions.validate(token) is not None
        key = cache_key("session", token_hash(token))
        assert other.local_cache.get_now(key) is not None  # cached in the other process
        await revoke(node, token)
        await asyncio.sleep(0.05)  # the next request to the other node
        assert other.local_cache.get_now(key) is None
        assert await other.accounts.sessions.validate(token) is None
    finally:
        await other.close()
