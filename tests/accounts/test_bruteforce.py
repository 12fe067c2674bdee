"""Failed sign-in limits: per account and per address, shared, same answer for everyone."""

from __future__ import annotations

import httpx
import pytest

from revenge.accounts.bruteforce import PER_HOUR, PER_MINUTE, LoginLimiter
from revenge.runtime import Runtime
from tests.accounts.conftest import PASSWORD, make_user


async def attempt(
    client: httpx.AsyncClient, username: str, password: str, **headers: str
) -> httpx.Response:
    return await client.post(
        "/api/v1/auth/login", json={"username": username, "password": password}, headers=headers
    )


async def test_unknown_user_and_wrong_password_look_the_same(
    client: httpx.AsyncClient, clean_runtime: Runtime
) -> None:
    await make_user(clean_runtime, "alice")
    wrong = await attempt(client, "alice", "not the password")
    unknown = await attempt(client, "nobody", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


async def test_ten_failures_a_minute_then_refused_even_with_the_right_password(
    client: httpx.AsyncClient, clean_runtime: Runtime
) -> None:
    await make_user(clean_runtime, "alice")
    for _ in range(PER_MINUTE):
        assert (await attempt(client, "alice", "wrong password")).status_code == 401
    resp = await attempt(client, "ALICE", PASSWORD)
    assert resp.status_code == 429 and resp.headers["retry-after"] == "60"


async def test_per_address_limit_spans_accounts(
    client: httpx.AsyncClient, clean_runtime: Runtime
) -> None:
    for i in range(PER_MINUTE):
        assert (await attempt(client, f"user{i}", "wrong password")).status_code == 401
    assert (await attempt(client, "someone-else", "wrong password")).status_code == 429


async def test_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(
    client: httpx.AsyncClient, clean_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    await make_user(clean_runtime, "alice")
    # Rotating X-Forwarded-For from an untrusted peer does not escape the address limit.
    for i in range(PER_MINUTE):
        resp = await attempt(
            client, f"u{i}", "wrong password", **{"X-Forwarded-For": f"10.0.0.{i}"}
        )
        assert resp.status_code == 401
    blocked = await attempt(client, "x", "wrong password", **{"X-Forwarded-For": "10.9.9.9"})
    assert blocked.status_code == 429
    # Behind a trusted proxy the forwarded address counts, so another client may sign in.
    monkeypatch.setattr(clean_runtime.settings.server, "trusted_proxies", ["203.0.113.0/24"])
    resp = await attempt(client, "alice", PASSWORD, **{"X-Forwarded-For": "198.51.100.20"})
    assert resp.status_code == 200
    body = resp.json()
    sessions = await client.get(
        "/api/v1/sessions",
        headers={
            "Authorization": f"Bearer {body['access_token']}",
            "X-Forwarded-For": "198.51.100.20",
        },
    )
    assert "198.51.100.20" in {s["ip_address"] for s in sessions.json()}


@pytest.mark.parametrize("with_redis", [True, False])
async def test_lockout_after_a_hundred_in_an_hour(clean_runtime: Runtime, with_redis: bool) -> None:
    prefix = clean_runtime.settings.cache.redis_prefix + "lockout-test:"
    limiter = LoginLimiter(clean_runtime.settings.redis_url if with_redis else None, prefix)
    try:
        async with clean_runtime.db.transaction() as session:
            for _ in range(PER_MINUTE):
                await limiter.record_failure(session, "carol", "192.0.2.9")
            assert await limiter.retry_after(session, "carol", None) == 60
            for _ in range(PER_HOUR - PER_MINUTE):
                await limiter.record_failure(session, "carol", "192.0.2.9")
            assert await limiter.retry_after(session, "carol", None) == 3600
            assert await limiter.retry_after(session, "dave", "192.0.2.9") == 3600
            assert await limiter.retry_after(session, "dave", "192.0.2.10") is None
    finally:
        await limiter.close()
