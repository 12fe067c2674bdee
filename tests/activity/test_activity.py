"""Activity log: buffered writes, the audit helper, queries, pagination, retention."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import psycopg

from revenge.activity.retention import retention_step
from revenge.activity.service import ActivityLog
from revenge.config import ActivitySettings
from revenge.runtime import Runtime
from tests.support.actors import Actors


def _count(url: str, where: str = "true", params: tuple[object, ...] = ()) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute(f"SELECT count(*) FROM activity_log WHERE {where}", params).fetchone()
        assert row is not None
        return int(row[0])


async def test_log_returns_at_once_and_stop_loses_nothing(
    clean_runtime: Runtime, database_url: str
) -> None:
    writer = ActivityLog(clean_runtime.db, ActivitySettings(flush_interval_seconds=30))
    await writer.start()
    marker = uuid.uuid4()
    for i in range(12_345):
        writer.log("library", "scan", user_id=marker, resource_id=str(i), ip_address="::1")
    # Nothing is written yet (long flush interval, batch not full): the request path never waits.
    assert writer.pending > 0
    await writer.stop()
    assert writer.pending == 0
    assert _count(database_url, "user_id = %s", (marker,)) == 12_345


async def test_background_task_flushes_without_being_asked(
    clean_runtime: Runtime, database_url: str
) -> None:
    writer = ActivityLog(clean_runtime.db, ActivitySettings(flush_interval_seconds=0.05))
    await writer.start()
    marker = uuid.uuid4()
    writer.log("auth", "login", user_id=marker, ip_address="not-an-ip", details={"x": 1})
    for _ in range(100):
        if _count(database_url, "user_id = %s", (marker,)):
            break
        import asyncio

        await asyncio.sleep(0.05)
    assert _count(database_url, "user_id = %s AND ip_address IS NULL", (marker,)) == 1
    await writer.stop()


async def test_changing_requests_are_audited_by_the_helper(
    client: httpx.AsyncClient, actors: Actors, clean_runtime: Runtime
) -> None:
    ok = await client.put(
        "/api/v1/admin/credentials/tmdb",
        json={"value": "abcdef0123456789"},
        headers={**actors.as_admin, "User-Agent": "pytest-agent"},
    )
    assert ok.status_code == 200
    bad = await client.delete("/api/v1/admin/credentials/tvdb", headers=actors.as_admin)
    assert bad.status_code == 404
    await clean_runtime.activity.flush()
    page = (
        await client.get(
            "/api/v1/admin/activity", params={"module": "credentials"}, headers=actors.as_admin
        )
    ).json()
    failed, created = page["items"]
    assert created["action"] == "update" and created["resource_type"] == "credentials"
    assert created["resource_id"] == "tmdb" and created["success"] is True
    assert created["ip_address"] == "203.0.113.7" and created["user_agent"] == "pytest-agent"
    assert "abcdef" not in str(created["details"])
    assert failed["action"] == "delete" and failed["success"] is False
    assert "No key stored" in failed["error"]


async def test_invalid_input_is_audited_as_the_callers_mistake(
    client: httpx.AsyncClient, actors: Actors, clean_runtime: Runtime
) -> None:
    """Found by fuzzing: a 422 was logged as an internal error of the server."""
    bad = await client.put(
        "/api/v1/admin/credentials/tmdb", json={"value": ""}, headers=actors.as_admin
    )
    assert bad.status_code == 422
    await clean_runtime.activity.flush()
    page = (
        await client.get(
            "/api/v1/admin/activity", params={"module": "credentials"}, headers=actors.as_admin
        )
    ).json()
    (entry,) = page["items"]
    assert entry["success"] is False
    assert entry["error"].startswith("invalid input: body.value:"), entry["error"]


async def test_time_filters_take_iso_8601_only(client: httpx.AsyncClient, actors: Actors) -> None:
    """Found by fuzzing: a bare number was read as seconds since 1970 and answered 200."""
    url = "/api/v1/users/me/activity"
    for value in ("-907537607", "1e5", "17"):
        resp = await client.get(url, params={"since": value}, headers=actors.as_user)
        assert resp.status_code == 422, value
        assert "ISO 8601" in resp.json()["detail"]
    ok = await client.get(url, params={"since": "2024-05-01T12:00:00Z"}, headers=actors.as_user)
    assert ok.status_code == 200


async def _seed(runtime: Runtime, user_id: uuid.UUID, n: int, **extra: object) -> None:
    for i in range(n):
        runtime.activity.log("library", "update", user_id=user_id, resource_id=str(i), **extra)  # type: ignore[arg-type]
    await runtime.activity.flush()


async def test_users_see_only_their_own_activity_paged(
    client: httpx.AsyncClient, actors: Actors, clean_runtime: Runtime
) -> None:
    await _seed(clean_runtime, actors.user.user_id, 25)
    await _seed(clean_runtime, actors.admin.user_id, 5)
    seen: list[int] = []
    cursor = None
    while True:
        params: dict[str, object] = {"limit": 10}
        if cursor:
            params["cursor"] = cursor
        page = (
            await client.get("/api/v1/users/me/activity", params=params, headers=actors.as_user)
        ).json()
        assert all(e["user_id"] == str(actors.user.user_id) for e in page["items"])
        seen += [e["id"] for e in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 25
    assert (await client.get("/api/v1/admin/activity", headers=actors.as_user)).status_code == 403
    bad = await client.get(
        "/api/v1/users/me/activity", params={"cursor": "garbage"}, headers=actors.as_user
    )
    assert bad.status_code == 400


async def test_admin_filters(
    client: httpx.AsyncClient, actors: Actors, clean_runtime: Runtime
) -> None:
    uid = actors.user.user_id
    clean_runtime.activity.log("auth", "login", user_id=uid, success=False, error="bad password")
    clean_runtime.activity.log("auth", "login", user_id=uid)
    clean_runtime.activity.log("movie", "delete", resource_type="movie", resource_id="m1")
    await clean_runtime.activity.flush()

    async def ids(**params: object) -> list[str]:
        resp = await client.get("/api/v1/admin/activity", params=params, headers=actors.as_admin)
        assert resp.status_code == 200, resp.text
        return [f"{e['module']}.{e['action']}" for e in resp.json()["items"]]

    assert await ids(failures_only=True) == ["auth.login"]
    assert await ids(user_id=str(uid)) == ["auth.login", "auth.login"]
    assert await ids(action="delete") == ["movie.delete"]
    assert await ids(resource_type="movie", resource_id="m1") == ["movie.delete"]
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    assert await ids(since=future) == []
    assert len(await ids(until=future)) == 3


async def test_retention_deletes_old_entries_in_batches(
    clean_runtime: Runtime, database_url: str, client: httpx.AsyncClient, actors: Actors
) -> None:
    with psycopg.connect(database_url) as conn:
        conn.execute(
            "INSERT INTO activity_log (module, action, created_at)"
            " SELECT 'old', 'x', now() - interval '100 days' - g * interval '1 second'"
            " FROM generate_series(1, 2500) g"
        )
        conn.execute(
            "INSERT INTO activity_log (module, action, created_at)"
            " SELECT 'recent', 'x', now() - interval '10 days' FROM generate_series(1, 30)"
        )
    step = retention_step(clean_runtime, batch=1000)
    async with clean_runtime.db.transaction() as session:
        removed = await step(session)
    assert removed == 2500
    assert _count(database_url, "module = 'old'") == 0
    assert _count(database_url, "module = 'recent'") == 30
    await client.put(
        "/api/v1/admin/settings/activity.retention_days", json={"value": 5}, headers=actors.as_admin
    )
    async with clean_runtime.db.transaction() as session:
        assert await step(session) == 30
    assert any(s.__name__ == "delete_old_activity" for s in clean_runtime.cleanup_steps)
