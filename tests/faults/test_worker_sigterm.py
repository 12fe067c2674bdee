"""SIGTERM to a `revenge worker` process while it works.

The worker's activity writer is set to flush only once a minute, so the entries a job writes
are still buffered in memory when the signal arrives: they must reach the database anyway.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from revenge.infra.jobs.worker import Worker
from revenge.runtime import Runtime
from revenge.testing.processes import lines, revenge_env, start_revenge, wait_for
from tests.faults.test_scan_worker_killed import movie_library, queued_items
from tests.libraries.conftest import AS_ADMIN, LibraryMaker, api, make_library  # noqa: F401

GRACE = 10.0


@pytest.fixture
def worker_env(database_url: str, tmp_path: Path) -> dict[str, str]:
    env = revenge_env(
        REVENGE_DATABASE_URL=database_url,
        REVENGE_DATA_DIR=str(tmp_path / "data"),
        REVENGE_JOBS__EXTRA_MODULES=json.dumps(["revenge.testing.jobs_plugin"]),
        REVENGE_JOBS__HEARTBEAT_SECONDS="2",
        REVENGE_JOBS__POLL_SECONDS="0.5",
        REVENGE_JOBS__RETRY_BASE_SECONDS="0.2",
        REVENGE_JOBS__GRACE_SECONDS=str(GRACE),
        REVENGE_ACTIVITY__FLUSH_INTERVAL_SECONDS="60",
        REVENGE_SCANNING__BATCH_SIZE="100",
    )
    env.pop("REVENGE_REDIS_URL", None)
    return env


@pytest.fixture
def workers() -> Iterator[list[subprocess.Popen[bytes]]]:
    procs: list[subprocess.Popen[bytes]] = []
    yield procs
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def spawn(
    workers: list[subprocess.Popen[bytes]], env: dict[str, str], log: Path, queues: str
) -> subprocess.Popen[bytes]:
    proc = start_revenge(["worker", "--queues", queues], env, log)
    workers.append(proc)
    wait_for(lambda: "worker running" in log.read_text() if log.exists() else False, 30, "worker")
    return proc


def query(url: str, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        return list(conn.execute(sql, args))


def activity(url: str, job_id: int) -> list[str]:
    rows = query(
        url,
        "SELECT action FROM activity_log WHERE module = 'testing' AND resource_id = %s"
        " ORDER BY created_at, action",
        str(job_id),
    )
    return [r[0] for r in rows]


def terminate(proc: subprocess.Popen[bytes]) -> tuple[int, float]:
    """SIGTERM; (exit code, seconds until the process was gone)."""
    sent = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    code = proc.wait(timeout=GRACE + 15)
    return code, time.monotonic() - sent


@pytest.fixture
async def rt(clean_runtime: Runtime) -> Runtime:
    from revenge.testing import jobs_plugin

    if "testing.audited" not in clean_runtime.registry.tasks:
        jobs_plugin.register(clean_runtime.registry)
    return clean_runtime


async def enqueue(runtime: Runtime, task: str, payload: dict[str, object]) -> int:
    async with runtime.db.transaction() as session:
        job_id = await runtime.jobs.enqueue(session, task, payload)
    assert job_id is not None
    return job_id


async def test_running_job_finishes_and_its_buffered_activity_is_written(
    rt: Runtime,
    worker_env: dict[str, str],
    workers: list[subprocess.Popen[bytes]],
    database_url: str,
    tmp_path: Path,
) -> None:
    out = tmp_path / "out.txt"
    proc = spawn(workers, worker_env, tmp_path / "w.log", "maintenance")
    job_id = await enqueue(rt, "testing.audited", {"path": str(out), "seconds": 2})
    wait_for(lambda: bool(lines(out)), 20, "job to start")
    assert activity(database_url, job_id) == []  # still in the worker's buffer

    code, took = terminate(proc)
    assert code == 0, (tmp_path / "w.log").read_text()
    assert took < GRACE
    assert [x.split()[0] for x in lines(out)] == ["start", "done"]
    assert sorted(activity(database_url, job_id)) == ["job.done", "job.start"]
    # Its completion was recorded before exit: nothing is left running for a retry.
    assert query(database_url, "SELECT count(*) FROM pgqueuer WHERE id = %s", job_id) == [(0,)]
    logged = query(database_url, "SELECT status::text FROM pgqueuer_log WHERE job_id = %s", job_id)
    assert ("successful",) in logged


async def test_job_past_the_grace_period_is_stopped_and_run_again_elsewhere(
    rt: Runtime,
    worker_env: dict[str, str],
    workers: list[subprocess.Popen[bytes]],
    database_url: str,
    tmp_path: Path,
) -> None:
    out = tmp_path / "out.txt"
    env = {**worker_env, "REVENGE_JOBS__GRACE_SECONDS": "1"}
    proc = spawn(workers, env, tmp_path / "w1.log", "maintenance")
    job_id = await enqueue(
        rt, "testing.audited", {"path": str(out), "seconds": 60, "slow_once": True}
    )
    wait_for(lambda: bool(lines(out)), 20, "job to start")

    code, took = terminate(proc)
    assert code == 0, (tmp_path / "w1.log").read_text()
    assert took < 1 + 5, f"the worker took {took:.1f}s to stop with a 1 s grace period"
    assert [x.split()[0] for x in lines(out)] == ["start"]
    assert "Shutdown flush failed" not in (tmp_path / "w1.log").read_text()
    # Its start was recorded; the job did not count as done and is not lost.
    assert activity(database_url, job_id) == ["job.start"]
    logged = query(database_url, "SELECT status::text FROM pgqueuer_log WHERE job_id = %s", job_id)
    assert ("successful",) not in logged

    second = spawn(workers, worker_env, tmp_path / "w2.log", "maintenance")
    wait_for(lambda: f"done {job_id}" in lines(out), 20, "the job to run again to completion")
    code, _ = terminate(second)
    assert code == 0
    assert [x.split()[0] for x in lines(out)] == ["start", "start", "done"]
    assert sorted(activity(database_url, job_id)) == ["job.done", "job.start", "job.start"]


async def test_scan_in_progress_completes_before_the_worker_exits(
    clean_runtime: Runtime,
    api: httpx.AsyncClient,  # noqa: F811
    make_library: LibraryMaker,  # noqa: F811
    worker_env: dict[str, str],
    workers: list[subprocess.Popen[bytes]],
    database_url: str,
    tmp_path: Path,
) -> None:
    root = tmp_path / "movies"
    total, movie_keys = movie_library(root, 1200)
    library = await make_library("movie", root)
    proc = spawn(workers, worker_env, tmp_path / "w.log", "scan")
    started = await api.post(f"/api/v1/libraries/{library['id']}/scans", headers=AS_ADMIN)
    assert started.status_code == 202, started.text
    scan_id = started.json()["id"]

    def written() -> int:
        return int(query(database_url, "SELECT count(*) FROM media_files")[0][0])

    wait_for(lambda: written() > 0, 30, "the scan to commit its first batch")
    at_signal = written()
    code, took = terminate(proc)
    assert code == 0, (tmp_path / "w.log").read_text()
    assert took < GRACE
    assert 0 < at_signal < total, f"the signal did not land mid-scan ({at_signal} of {total})"

    # Not half-done: the scan finished, its job is recorded as such, its follow-ups queued.
    status = query(database_url, "SELECT status FROM library_scans WHERE id = %s", scan_id)
    assert status == [("completed",)]
    assert written() == total
    movies = {str(r[0]) for r in query(database_url, "SELECT id FROM movies")}
    assert len(movies) == len(movie_keys)
    assert set(queued_items(database_url, "metadata.fetch")) == movies
    assert query(
        database_url, "SELECT count(*) FROM pgqueuer WHERE entrypoint = 'libraries.scan'"
    ) == [(0,)]
    logged = query(
        database_url, "SELECT status::text FROM pgqueuer_log WHERE entrypoint = 'libraries.scan'"
    )
    assert ("successful",) in logged


async def test_jobs_finished_before_a_forced_stop_are_recorded_and_not_run_again(
    rt: Runtime, database_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A long job outlives the grace period while a short one has just finished: the short
    one's completion (still in pgqueuer's status buffer) is written before the cut."""
    worker = Worker(rt, ("maintenance",))
    await worker.start()
    long_out, short_out = tmp_path / "long.txt", tmp_path / "short.txt"
    long_id = await enqueue(rt, "testing.record", {"path": str(long_out), "seconds": 60})
    for _ in range(400):
        if lines(long_out):
            break
        await asyncio.sleep(0.025)
    short_id = await enqueue(rt, "testing.record", {"path": str(short_out)})
    for _ in range(2000):
        if f"done {short_id}" in lines(short_out):
            break
        await asyncio.sleep(0.005)
    await asyncio.sleep(0.01)
    with caplog.at_level(logging.INFO):
        await worker.stop(grace_seconds=0)

    remaining = dict(query(database_url, "SELECT id, status::text FROM pgqueuer"))
    assert short_id not in remaining, "a finished job would run again"
    assert remaining.get(long_id) == "picked"  # left for heartbeat recovery
    logged = query(
        database_url, "SELECT status::text FROM pgqueuer_log WHERE job_id = %s", short_id
    )
    assert ("successful",) in logged
    assert "Shutdown flush failed" not in caplog.text
