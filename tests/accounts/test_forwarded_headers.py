"""A real `revenge serve` over loopback, with no trusted proxy configured: a forged
X-Forwarded-For is neither recorded nor able to pick a new brute-force key per attempt."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from revenge.accounts.bruteforce import PER_MINUTE
from revenge.runtime import Runtime
from revenge.testing.processes import revenge_env, start_revenge, wait_for
from revenge.testing.services import free_port

PASSWORD = "correct horse battery staple"


@pytest.fixture
def serve(clean_runtime: Runtime, database_url: str, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    env = revenge_env(
        REVENGE_DATABASE_URL=database_url,
        REVENGE_DATA_DIR=str(tmp_path / "data"),
        REVENGE_ACTIVITY__FLUSH_INTERVAL_SECONDS="0.2",
    )
    env.pop("REVENGE_REDIS_URL", None)
    env.pop("FORWARDED_ALLOW_IPS", None)
    proc = start_revenge(["serve", "--no-worker", "--port", str(port)], env, tmp_path / "log")
    base = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        try:
            return httpx.get(base + "/health/ready", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_for(ready, 30, "server to be ready")
        yield base
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def test_forged_forwarded_for_from_loopback_is_ignored(serve: str, database_url: str) -> None:
    with httpx.Client(base_url=serve, timeout=10) as http:
        setup = http.post("/api/v1/setup", json={"username": "admin", "password": PASSWORD})
        assert setup.status_code == 201, setup.text
        forged = {"X-Forwarded-For": "198.51.100.77"}
        resp = http.post(
            "/api/v1/auth/login", json={"username": "admin", "password": PASSWORD}, headers=forged
        )
        assert resp.status_code == 200, resp.text
        token = resp.json()["access_token"]
        sessions = http.get(
            "/api/v1/sessions", headers={"Authorization": f"Bearer {token}", **forged}
        ).json()
        assert {s["ip_address"] for s in sessions} == {"127.0.0.1"}

        # A new forged address per attempt does not escape the per-address limit.
        answers = [
            http.post(
                "/api/v1/auth/login",
                json={"username": f"nobody{i}", "password": "wrong"},
                headers={"X-Forwarded-For": f"10.1.{i}.{i}"},
            ).status_code
            for i in range(PER_MINUTE + 2)
        ]
    assert answers[:PER_MINUTE] == [401] * PER_MINUTE
    assert answers[PER_MINUTE:] == [429, 429]

    def logged() -> list[tuple[str, str]]:
        with psycopg.connect(database_url) as conn:
            rows = conn.execute(
                "SELECT action, host(ip_address) FROM activity_log WHERE module = 'auth'"
            )
            return [(str(a), str(ip)) for a, ip in rows]

    wait_for(lambda: len(logged()) >= PER_MINUTE + 3, 10, "sign-ins in the activity log")
    assert {ip for _, ip in logged()} == {"127.0.0.1"}
