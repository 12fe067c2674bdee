"""Failed sign-in limits: per account and per address, shared, same answer for everyone."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import text

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
            assert await limiter.retry_after(session, "carol", "192.0.2.9") == 60
            # Another address is not slowed down by the first one's failures...
            assert await limiter.retry_after(session, "carol", "192.0.2.50") is None
            for _ in range(PER_HOUR - PER_MINUTE):
                await limiter.record_failure(session, "carol", "192.0.2.9")
            assert await limiter.retry_after(session, "carol", "192.0.2.9") == 3600
            # ...until the account-wide lockout, which a known device still passes.
            assert await limiter.retry_after(session, "carol", "192.0.2.50") == 3600
            assert (
                await limiter.retry_after(session, "carol", "192.0.2.50", known_device=True) is None
            )
            assert await limiter.retry_after(session, "dave", "192.0.2.9") == 3600
            assert await limiter.retry_after(session, "dave", "192.0.2.10") is None
    finally:
        await limiter.close()


async def auth_activity(runtime: Runtime, user_id: str) -> list[tuple[str, str | None]]:
    await runtime.activity.flush()
    async with runtime.db.transaction() as session:
        rows = await session.execute(
            text(
                "SELECT action, error FROM activity_log WHERE user_id = :u AND module = 'auth'"
                " ORDER BY id"
            ),
            {"u": user_id},
        )
        return [(str(a), e) for a, e in rows]


async def test_a_stranger_cannot_lock_the_owner_out(
    client: httpx.AsyncClient, clean_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = await make_user(clean_runtime, "alice")
    monkeypatch.setattr(clean_runtime.settings.server, "trusted_proxies", ["203.0.113.0/24"])
    stranger = {"X-Forwarded-For": "198.51.100.66"}
    answers = [
        (await attempt(client, "alice", f"guess {i}", **stranger)).status_code
        for i in range(PER_MINUTE + 2)
    ]
    assert answers == [401] * PER_MINUTE + [429, 429]
    # The stranger stays slowed down, even with the right password...
    assert (await attempt(client, "alice", PASSWORD, **stranger)).status_code == 429
    # ...while the owner, from their own address, signs in.
    owner = await attempt(client, "alice", PASSWORD, **{"X-Forwarded-For": "192.0.2.10"})
    assert owner.status_code == 200, owner.text
    # The owner can read about it in their activity.
    logged = await auth_activity(clean_runtime, alice)
    assert logged.count(("login_failed", "bad_password")) == PER_MINUTE
    assert ("login_failed", "rate_limited") in logged


async def test_the_account_lockout_lets_a_known_device_through(
    client: httpx.AsyncClient, clean_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    await make_user(clean_runtime, "alice")
    monkeypatch.setattr(clean_runtime.settings.server, "trusted_proxies", ["203.0.113.0/24"])
    first = await client.post(
        "/api/v1/auth/login",
        json={"username": "alice", "password": PASSWORD, "device_id": "alice-phone"},
        headers={"X-Forwarded-For": "192.0.2.10"},
    )
    assert first.status_code == 200
    # Guesses from a hundred addresses: the account-wide lockout.
    async with clean_runtime.db.transaction() as session:
        for i in range(PER_HOUR):
            await clean_runtime.accounts.logins.limiter.record_failure(
                session, "alice", f"198.51.100.{i}"
            )
    elsewhere = {"X-Forwarded-For": "192.0.2.99"}
    refused = await attempt(client, "alice", PASSWORD, **elsewhere)
    assert refused.status_code == 429 and refused.headers["retry-after"] == "3600"
    phone = await client.post(
        "/api/v1/auth/login",
        json={"username": "alice", "password": PASSWORD, "device_id": "alice-phone"},
        headers=elsewhere,
    )
    assert phone.status_code == 200, phone.text
    home = await attempt(client, "alice", PASSWORD, **{"X-Forwarded-For": "192.0.2.10"})
    assert home.status_code == 200, home.text


async def test_password_change_is_throttled_and_recorded(
    client: httpx.AsyncClient, clean_runtime: Runtime
) -> None:
    alice = await make_user(clean_runtime, "alice")
    token = (await attempt(client, "alice", PASSWORD)).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}

    async def change(current: str) -> httpx.Response:
        return await client.post(
            "/api/v1/users/me/password",
            json={"current_password": current, "new_password": "a brand new password"},
            headers=headers,
        )

    answers = [(await change(f"guess {i}")).status_code for i in range(PER_MINUTE + 2)]
    assert answers == [401] * PER_MINUTE + [429, 429]
    # A stolen session cannot keep guessing: even the right password waits now.
    blocked = await change(PASSWORD)
    assert blocked.status_code == 429 and blocked.headers["retry-after"] == "60"
    logged = await auth_activity(clean_runtime, alice)
    assert logged.count(("password_change_failed", "bad_password")) == PER_MINUTE
    assert ("password_change_failed", "rate_limited") in logged
