"""A request's transaction has committed before its response reaches the client.

Over a real socket (uvicorn), since an in-process transport waits for the whole app anyway:
a client that got its answer must find the change in the database, whoever it asks next.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import psycopg

from revenge.runtime import Runtime
from revenge.testing.auth import ADMIN, HeaderAuthenticator
from revenge.testing.live_server import LiveServer
from revenge.testing.settings import make_settings

KEY = "transcoding.max_concurrent"


async def test_a_change_is_committed_when_its_response_arrives(
    clean_runtime: Runtime, database_url: str, redis_url: str, tmp_path: Path
) -> None:
    server = LiveServer(make_settings(tmp_path, database_url, redis_url), HeaderAuthenticator())
    server.start()
    try:
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute(
                "INSERT INTO users (id, username, role) VALUES (%s, 'admin', 'admin')",
                (ADMIN.user_id,),
            )
            async with httpx.AsyncClient(base_url=server.url, timeout=10) as client:
                for value in range(3, 33):
                    resp = await client.put(
                        f"/api/v1/admin/settings/{KEY}",
                        json={"value": value},
                        headers={"X-Test-User": "admin"},
                    )
                    assert resp.status_code == 200, resp.text
                    row = conn.execute(
                        "SELECT value FROM server_settings WHERE key = %s", (KEY,)
                    ).fetchone()
                    assert row == (value,), f"answered before its commit (round {value})"
    finally:
        server.stop()
