"""SIGTERM to `revenge serve` (API + in-process worker) while a job runs: the job finishes
and the activity entries it left in the buffer are written before the process exits."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from revenge.runtime import Runtime
from revenge.testing.processes import lines, revenge_env, start_revenge, wait_for
from revenge.testing.services import free_port


@pytest.fixture
async def rt(clean_runtime: Runtime) -> Runtime:
    from revenge.testing import jobs_plugin

    if "testing.audited" not in clean_runtime.registry.tasks:
        jobs_plugin.register(clean_runtime.registry)
    return clean_runtime


@pytest.fixture
def serve(database_url: str, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    port = free_port()
    env = revenge_env(
        REVENGE_DATABASE_URL=database_url,
        REVENGE_DATA_DIR=str(tmp_path / "data"),
        REVENGE_JOBS__EXTRA_MODULES=json.dumps(["revenge.testing.jobs_plugin"]),
        REVENGE_JOBS__GRACE_SECONDS="10",
        # Entries stay buffered until shutdown, which must write them.
        REVENGE_ACTIVITY__FLUSH_INTERVAL_SECONDS="60",
    )
    env.pop("REVENGE_REDIS_URL", None)
    proc = start_revenge(["serve", "--port", str(port)], env, tmp_path / "serve.log")
    base = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        try:
            return httpx.get(base + "/health/ready", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_for(ready, 30, "server to be ready")
        yield proc, base
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


async def test_sigterm_to_serve_lets_the_running_job_finish(
    rt: Runtime,
    serve: tuple[subprocess.Popen[bytes], str],
    database_url: str,
    tmp_path: Path,
) -> None:
    proc, _ = serve
    out = tmp_path / "out.txt"
    async with rt.db.transaction() as session:
        job_id = await rt.jobs.enqueue(session, "testing.audited", {"path": str(out), "seconds": 2})
    wait_for(lambda: bool(lines(out)), 20, "job to start")
    with psycopg.connect(database_url) as conn:
        buffered = conn.execute("SELECT count(*) FROM activity_log").fetchone()
    assert buffered == (0,)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=20) == 0
    assert [x.split()[0] for x in lines(out)] == ["start", "done"]
    # Its completion was written before exit: nothing is left `picked` for a retry.
    with psycopg.connect(database_url) as conn:
        left = conn.execute("SELECT count(*) FROM pgqueuer WHERE id = %s", (job_id,)).fetchone()
        logged = conn.execute(
            "SELECT status::text FROM pgqueuer_log WHERE job_id = %s ORDER BY id", (job_id,)
        ).fetchall()
        audited = conn.execute(
            "SELECT action FROM activity_log WHERE module = 'testing' AND resource_id = %s",
            (str(job_id),),
        ).fetchall()
    assert left == (0,)
    assert ("successful",) in logged
    assert sorted(a for (a,) in audited) == ["job.done", "job.start"]
