"""A change made through one instance reaches a second process within one second."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from revenge.runtime import Runtime
from revenge.testing.services import free_port
from tests.conftest import REPO_ROOT
from tests.support.actors import Actors


def _start(
    database_url: str, redis_url: str | None, data_dir: Path
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": f"{REPO_ROOT / 'src'}{os.pathsep}{REPO_ROOT}",
        "REVENGE_DATABASE_URL": database_url,
        "REVENGE_REDIS_URL": redis_url or "",
        "REVENGE_DATA_DIR": str(data_dir),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "revenge", "serve", "--no-worker", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return proc, f"http://127.0.0.1:{port}"


def _wait_ready(base: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert proc.poll() is None, "second instance exited"
        try:
            if httpx.get(f"{base}/api/v1/settings/public", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError("second instance did not start")


@pytest.fixture
def instances(database_url: str, redis_url: str, tmp_path: Path) -> Iterator[dict[str, str]]:
    """Two more nodes on the same database: one listening on Redis, one on PostgreSQL."""
    procs = {
        "redis": _start(database_url, redis_url, tmp_path / "a"),
        "postgres": _start(database_url, None, tmp_path / "b"),
    }
    try:
        for proc, base in procs.values():
            _wait_ready(base, proc)
        yield {name: base for name, (_, base) in procs.items()}
    finally:
        for proc, _ in procs.values():
            proc.terminate()
        try:
            for proc, _ in procs.values():
                proc.wait(timeout=20)
        finally:  # a node that ignored SIGTERM fails the test, and is not left running
            for proc, _ in procs.values():
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()


async def test_change_reaches_other_processes_within_a_second(
    client: httpx.AsyncClient,
    actors: Actors,
    clean_runtime: Runtime,
    instances: dict[str, str],
) -> None:
    async with httpx.AsyncClient(timeout=2) as remote:
        for base in instances.values():
            before = (await remote.get(f"{base}/api/v1/settings/public")).json()
            assert before["server.name"] == "Revenge"
        resp = await client.put(
            "/api/v1/admin/settings/server.name", json={"value": "Renamed"}, headers=actors.as_admin
        )
        assert resp.status_code == 200
        changed_at = time.monotonic()
        seen: dict[str, float] = {}
        while len(seen) < len(instances) and time.monotonic() - changed_at < 5:
            for name, base in instances.items():
                if name not in seen:
                    body = (await remote.get(f"{base}/api/v1/settings/public")).json()
                    if body["server.name"] == "Renamed":
                        seen[name] = time.monotonic() - changed_at
    assert set(seen) == set(instances), seen
    assert all(delay < 1.0 for delay in seen.values()), seen
