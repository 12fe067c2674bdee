"""Live updates reach streams on every node: two real `revenge serve` processes, an event
caused through one of them, clients of both receive it (over Redis pub/sub, or over
PostgreSQL LISTEN/NOTIFY when no Redis is configured)."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest

from revenge.testing.cluster import run_cluster
from revenge.testing.services import fresh_database
from tests.events.sse import SseClient

PASSWORD = "correct horse battery staple"


@pytest.mark.parametrize("bus", ["redis", "postgres"])
async def test_an_event_reaches_streams_on_both_nodes(
    pg_server_url: str, redis_url: str, tmp_path: Path, bus: str
) -> None:
    with fresh_database(pg_server_url, "revenge_events") as database_url:
        common = {"REVENGE_DATABASE_URL": database_url}
        if bus == "redis":
            common["REVENGE_REDIS_URL"] = redis_url
            common["REVENGE_CACHE__REDIS_PREFIX"] = f"events-{uuid.uuid4().hex[:8]}:"
        with run_cluster(tmp_path, common, apis=2, workers=0) as cluster:
            a, b = (str(node.url) for node in cluster.apis)
            async with httpx.AsyncClient(base_url=a, timeout=10) as api:
                setup = {"username": "admin", "password": PASSWORD}
                assert (await api.post("/api/v1/setup", json=setup)).status_code in (200, 201)
                login = await api.post("/api/v1/auth/login", json=setup)
                auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
                async with SseClient(a, auth) as on_a, SseClient(b, auth) as on_b:
                    assert on_a.status == 200 and on_b.status == 200
                    resp = await api.put(
                        "/api/v1/admin/settings/server.name", json={"value": "Den"}, headers=auth
                    )
                    assert resp.status_code == 200, resp.text
                    for stream in (on_a, on_b):
                        await stream.wait(lambda c: bool(c.of("settings.changed")))
    for stream in (on_a, on_b):
        (changed,) = stream.of("settings.changed")
        assert changed.data["data"] == {"key": "server.name"}
    assert on_a.of("settings.changed")[0].id == on_b.of("settings.changed")[0].id
