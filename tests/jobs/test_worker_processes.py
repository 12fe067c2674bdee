"""Jobs run by real worker processes: another process, SIGKILL recovery, dedupe, SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from revenge.runtime import Runtime
from revenge.testing.processes import lines, revenge_env, start_revenge, wait_for


@pytest.fixture
def worker_env(database_url: str, tmp_path: Path) -> dict[str, str]:
    return revenge_env(
        REVENGE_DATABASE_URL=database_url,
        REVENGE_DATA_DIR=str(tmp_path / "data"),
        REVENGE_JOBS__EXTRA_MODULES=json.dumps(["revenge.testing.jobs_plugin"]),
        REVENGE_JOBS__HEARTBEAT_SECONDS="2",
        REVENGE_JOBS__RETRY_BASE_SECONDS="0.2",
        REVENGE_JOBS__GRACE_SECONDS="10",
    )


@pytest.fixture
def workers(worker_env: dict[str, str], tmp_path: Path) -> Iterator[list[subprocess.Popen[bytes]]]:
    procs: list[subprocess.Popen[bytes]] = []
    yield procs
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _spawn(
    workers: list[subprocess.Popen[bytes]], env: dict[str, str], log: Path
) -> subprocess.Popen[bytes]:
    proc = start_revenge(["worker", "--queues", "maintenance"], env, log)
    workers.append(proc)
    wait_for(lambda: "worker running" in log.read_text() if log.exists() else False, 30, "worker")
    return proc


async def _enqueue(
    runtime: Runtime, task: str, payload: dict[str, object], key: str | None = None
) -> int | None:
    async with runtime.db.transaction() as session:
        return await runtime.jobs.enqueue(session, task, payload, dedupe_key=key)


@pytest.fixture
async def rt(clean_runtime: Runtime) -> Runtime:
    from revenge.testing import jobs_plugin

    if "testing.record" not in clean_runtime.registry.tasks:
        jobs_plugin.register(clean_runtime.registry)
    return clean_runtime


async def test_job_runs_in_another_process(
    rt: Runtime, worker_env: dict[str, str], workers: list[subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    out = tmp_path / "out.txt"
    _spawn(workers, worker_env, tmp_path / "w1.log")
    await _enqueue(rt, "testing.record", {"path": str(out)})
    wait_for(lambda: any(line.startswith("done") for line in lines(out)), 20, "job to finish")


async def test_sigkill_mid_job_is_recovered_by_heartbeat(
    rt: Runtime, worker_env: dict[str, str], workers: list[subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    out = tmp_path / "out.txt"
    first = _spawn(workers, worker_env, tmp_path / "w1.log")
    job_id = await _enqueue(
        rt, "testing.record", {"path": str(out), "seconds": 60, "slow_once": True}
    )
    wait_for(lambda: bool(lines(out)), 20, "job to start")
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    _spawn(workers, worker_env, tmp_path / "w2.log")
    # No heartbeat for 2 s marks the job stalled; the second worker takes it and finishes it.
    wait_for(lambda: f"done {job_id}" in lines(out), 30, "stalled job to be retried to completion")
    assert [x.split()[0] for x in lines(out)] == ["start", "start", "done"]


async def test_dedupe_key_runs_once(
    rt: Runtime, worker_env: dict[str, str], workers: list[subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    out = tmp_path / "out.txt"
    first = await _enqueue(rt, "testing.record", {"path": str(out)}, key="only-once")
    second = await _enqueue(rt, "testing.record", {"path": str(out)}, key="only-once")
    assert first is not None and second is None
    _spawn(workers, worker_env, tmp_path / "w1.log")
    wait_for(lambda: any(x.startswith("done") for x in lines(out)), 20, "job to finish")
    await _enqueue(rt, "testing.noop", {})  # a later job proves the worker moved on
    assert [x.split()[0] for x in lines(out)] == ["start", "done"]


async def test_sigterm_lets_running_job_finish(
    rt: Runtime, worker_env: dict[str, str], workers: list[subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    out = tmp_path / "out.txt"
    proc = _spawn(workers, worker_env, tmp_path / "w1.log")
    await _enqueue(rt, "testing.record", {"path": str(out), "seconds": 2})
    wait_for(lambda: bool(lines(out)), 20, "job to start")
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0
    assert [x.split()[0] for x in lines(out)] == ["start", "done"]
