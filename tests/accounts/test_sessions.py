"""Every session operation against real PostgreSQL and Redis, over the API and the service."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest
from sqlalchemy import select, text

from revenge.activity.models import ActivityEntry
from revenge.identity.tokens import cache_key, token_hash
from revenge.runtime import Runtime
from revenge.sessions import repository as repo
from revenge.sessions.service import SessionIdentity
from tests.accounts.conftest import bearer, login, make_user


async def me(client: httpx.AsyncClient, token: str) -> int:
    return (await client.get("/api/v1/users/me", headers=bearer(token))).status_code


async def test_login_gives_tokens_that_authenticate(
    client: httpx.AsyncClient, clean_runtime: Runtime
) -> None:
    await make_user(clean_runtime, "alice")
    body = await login(client, "Alice", device_name="Living room TV", client_name="web")
    assert body["token_type"] == "Bearer"
    assert body["access_token"].startswith("rvs_") and len(body["access_token"]) >= 40
    assert body["user"]["username"] == "alice"
    resp = await client.get("/api/v1/users/me", headers=bearer(body["access_token"]))
    assert resp.status_code == 200 and resp.json()["username"] == "alice"
    # Only hashes are stored.
    async with clean_runtime.db.transaction() as session:
        stored = (await session.execute(text("SELECT token_hash FROM sessions"))).scalar_one()
    assert stored == token_hash(body["access_token"])
    assert body["access_token"].encode() not in stored


async def test_token_reused_after_logout_is_refused_although_cached(
    client: httpx.AsyncClient, clean_runtime: Runtime
) -> None:
    await make_user(clean_runtime, "alice")
    token = (await login(client, "alice"))["access_token"]
    assert await me(client, token) == 200
    key = cache_key("session", token_hash(token))
    assert await clean_runtime.cache.get(key) is not None  # served from the cache now
    assert (await client.post("/api/v1/auth/logout", headers=bearer(token))).status_code == 204
    assert await clean_runtime.cache.get(key) is None
    assert await me(client, token) == 401


async def test_revoke_wins_over_a_validation_racing_it(clean_runtime: Runtime) -> None:
    """A validation that read the database before a revoke cannot leave a usable entry."""
    sessions = clean_runtime.accounts.sessions
    user_id = await make_user(clean_runtime, "alice")
    async with clean_runtime.db.transaction() as session:
        issued = await sessions.create(session, user_id=_uuid(user_id), client=_client())
    digest = token_hash(issued.access_token)

    async def revoke() -> None:
        async with clean_runtime.db.transaction() as session:
            await sessions.invalidate(session, issued.session.id)

    async with clean_runtime.db.engine.connect() as conn, conn.begin():
        row = await repo.validation_row(conn, digest)  # an in-flight validation
        assert row is not None
        task = asyncio.create_task(revoke())
        await asyncio.sleep(0.2)
        assert not task.done()  # the revoke waits for the in-flight read
        stale = SessionIdentity(row.id, row.user_id, "alice", "user", time.time() + 99, time.time())
        await clean_runtime.cache.set(cache_key("session", digest), stale.encode(), 30)
    await task
    assert await sessions.validate(issued.access_token) is None


async def test_disabling_a_user_ends_its_sessions_at_once(
    client: httpx.AsyncClient, clean_runtime: Runtime, admin: dict[str, Any]
) -> None:
    user_id = await make_user(clean_runtime, "alice")
    token = (await login(client, "alice"))["access_token"]
    assert await me(client, token) == 200  # cached
    resp = await client.patch(
        f"/api/v1/users/{user_id}", json={"disabled": True}, headers=bearer(admin["access_token"])
    )
    assert resp.status_code == 200 and resp.json()["disabled"] is True
    assert await me(client, token) == 401
    resp = await client.post(
        "/api/v1/auth/login", json={"username": "alice", "password": "correct horse battery"}
    )
    assert resp.status_code == 401


async def test_refresh_rotates_and_reuse_revokes_the_session(
    client: httpx.AsyncClient, clean_runtime: Runtime
) -> None:
    await make_user(clean_runtime, "alice")
    first = await login(client, "alice")
    assert await me(client, first["access_token"]) == 200
    resp = await client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert resp.status_code == 200
    second = resp.json()
    assert second["session_id"] == first["session_id"]
    assert second["access_token"] != first["access_token"]
    assert await me(client, first["access_token"]) == 401  # rotated out, although cached
    assert await me(client, second["access_token"]) == 200
    # The old refresh token comes back (stolen copy): the whole session ends.
    resp = await client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert resp.status_code == 401
    assert await me(client, second["access_token"]) == 401
    resp = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]}
    )
    assert resp.status_code == 401
    async with clean_runtime.db.transaction() as session:
        reason = (await session.execute(text("SELECT revoked_reason FROM sessions"))).scalar()
    assert reason == "refresh_reuse"


async def test_idle_timeout(
    client: httpx.AsyncClient, clean_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    await make_user(clean_runtime, "alice")
    token = (await login(client, "alice"))["access_token"]
    assert await me(client, token) == 200
    idle = clean_runtime.settings.auth.session_idle_timeout_seconds
    _shift_clock(monkeypatch, idle - 60)
    assert await me(client, token) == 200
    _shift_clock(monkeypatch, idle + 60)  # cached entry and database both say: idle too long
    assert await me(client, token) == 401


async def test_absolute_lifetime(
    client: httpx.AsyncClient, clean_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth = clean_runtime.settings.auth
    monkeypatch.setattr(auth, "session_idle_timeout_seconds", 400 * 86400)
    await make_user(clean_runtime, "alice")
    token = (await login(client, "alice"))["access_token"]
    _shift_clock(monkeypatch, auth.session_absolute_lifetime_seconds - 60)
    assert await me(client, token) == 200
    _shift_clock(monkeypatch, auth.session_absolute_lifetime_seconds + 1)
    assert await me(client, token) == 401


async def test_max_sessions_per_user_ends_the_oldest(
    client: httpx.AsyncClient, clean_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clean_runtime.settings.auth, "session_max_per_user", 3)
    await make_user(clean_runtime, "alice")
    tokens = [(await login(client, "alice"))["access_token"] for _ in range(4)]
    assert await me(client, tokens[0]) == 401
    for token in tokens[1:]:
        assert await me(client, token) == 200
    resp = await client.get("/api/v1/sessions", headers=bearer(tokens[-1]))
    assert len(resp.json()) == 3


async def test_max_sessions_follows_the_server_setting(
    client: httpx.AsyncClient, clean_runtime: Runtime
) -> None:
    """An admin's `auth.session.max_per_user` overrides the config value at once."""
    async with clean_runtime.db.transaction() as session:
        await clean_runtime.server_settings.set(session, "auth.session.max_per_user", 2, None)
    clean_runtime.server_settings.invalidate()
    await make_user(clean_runtime, "alice")
    tokens = [(await login(client, "alice"))["access_token"] for _ in range(3)]
    assert [await me(client, t) for t in tokens] == [401, 200, 200]


async def test_list_marks_current_and_invalidate_one_others_all(
    client: httpx.AsyncClient, clean_runtime: Runtime
) -> None:
    await make_user(clean_runtime, "alice")
    a, b, c = [await login(client, "alice", device_name=f"d{i}") for i in range(3)]
    listed = (await client.get("/api/v1/sessions", headers=bearer(a["access_token"]))).json()
    assert {s["device_name"] for s in listed} == {"d0", "d1", "d2"}
    assert [s["id"] for s in listed if s["current"]] == [a["session_id"]]
    current = await client.get("/api/v1/sessions/current", headers=bearer(a["access_token"]))
    assert current.json()["id"] == a["session_id"]
    # invalidate one
    resp = await client.delete(
        f"/api/v1/sessions/{b['session_id']}", headers=bearer(a["access_token"])
    )
    assert resp.status_code == 204
    assert await me(client, b["access_token"]) == 401
    # invalidate all others
    d = await login(client, "alice")
    resp = await client.post("/api/v1/sessions/revoke-others", headers=bearer(a["access_token"]))
    assert resp.json() == {"revoked": 2}
    assert await me(client, c["access_token"]) == 401 and await me(client, d["access_token"]) == 401
    assert await me(client, a["access_token"]) == 200
    # invalidate all
    resp = await client.delete("/api/v1/sessions", headers=bearer(a["access_token"]))
    assert resp.json() == {"revoked": 1}
    assert await me(client, a["access_token"]) == 401


async def test_admin_lists_and_ends_anyones_sessions(
    client: httpx.AsyncClient, clean_runtime: Runtime, admin: dict[str, Any]
) -> None:
    user_id = await make_user(clean_runtime, "alice")
    alice = await login(client, "alice")
    headers = bearer(admin["access_token"])
    listed = await client.get(f"/api/v1/admin/users/{user_id}/sessions", headers=headers)
    assert [s["id"] for s in listed.json()] == [alice["session_id"]]
    resp = await client.delete(f"/api/v1/admin/sessions/{alice['session_id']}", headers=headers)
    assert resp.status_code == 204
    assert await me(client, alice["access_token"]) == 401
    alice = await login(client, "alice")
    resp = await client.delete(f"/api/v1/admin/users/{user_id}/sessions", headers=headers)
    assert resp.json() == {"revoked": 1}
    assert await me(client, alice["access_token"]) == 401


async def test_activity_is_written_at_most_once_a_minute(
    client: httpx.AsyncClient, clean_runtime: Runtime
) -> None:
    await make_user(clean_runtime, "alice")
    headers = bearer((await login(client, "alice"))["access_token"])

    async def age_after_backdating(requests: int) -> float:
        async with clean_runtime.db.transaction() as session:
            await session.execute(
                text("UPDATE sessions SET last_activity_at = now() - interval '10 minutes'")
            )
        for _ in range(requests):
            assert (await client.get("/api/v1/users/me", headers=headers)).status_code == 200
        async with clean_runtime.db.transaction() as session:
            age = await session.execute(text("SELECT now() - last_activity_at FROM sessions"))
            return float(age.scalar_one().total_seconds())

    clean_runtime.accounts.sessions.store._touched.clear()  # as if the last write was long ago
    assert await age_after_backdating(1) < 60  # used: written
    assert await age_after_backdating(5) >= 600  # used again within the minute: no write
    resp = await client.post("/api/v1/sessions/current/activity", headers=headers)
    assert resp.json() == {"written": False}


async def test_session_events_reach_the_activity_log(
    client: httpx.AsyncClient, clean_runtime: Runtime
) -> None:
    await make_user(clean_runtime, "alice")
    resp = await client.post(
        "/api/v1/auth/login", json={"username": "alice", "password": "nope-nope"}
    )
    assert resp.status_code == 401
    token = (await login(client, "alice"))["access_token"]
    other = (await login(client, "alice"))["session_id"]
    await client.delete(f"/api/v1/sessions/{other}", headers=bearer(token))
    await client.post("/api/v1/auth/logout", headers=bearer(token))
    await clean_runtime.activity.flush()
    async with clean_runtime.db.transaction() as session:
        rows = (
            await session.execute(select(ActivityEntry.action).order_by(ActivityEntry.id))
        ).all()
    assert [r[0] for r in rows] == ["login_failed", "login", "login", "session_revoked", "logout"]


def _shift_clock(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    real = time.time
    monkeypatch.setattr("revenge.sessions.service.time.time", lambda: real() + seconds)


def _uuid(value: str) -> Any:
    import uuid

    return uuid.UUID(value)


def _client() -> Any:
    from revenge.identity.client import ClientInfo

    return ClientInfo(ip="192.0.2.1", user_agent="test")


async def test_maintenance_forgets_finished_sessions_and_old_failures(
    client: httpx.AsyncClient, clean_runtime: Runtime
) -> None:
    await make_user(clean_runtime, "alice")
    kept = await login(client, "alice")
    gone = await login(client, "alice")
    await client.post("/api/v1/auth/login", json={"username": "alice", "password": "nope-nope"})
    async with clean_runtime.db.transaction() as session:
        await session.execute(
            text("UPDATE sessions SET revoked_at = now() - interval '2 days' WHERE id = :id"),
            {"id": gone["session_id"]},
        )
        await session.execute(
            text("UPDATE login_failures SET created_at = now() - interval '3 hours'")
        )
    removed = 0
    for step in clean_runtime.cleanup_steps:
        async with clean_runtime.db.transaction() as session:
            removed += await step(session)
    assert removed == 2
    assert await me(client, kept["access_token"]) == 200
