"""Job functions used by the job tests, loaded through `jobs.extra_modules`.

Each job appends lines to a file named in its payload, so a test in another process can see
what ran, how often, and whether it finished.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from revenge.infra.jobs.context import JobContext
from revenge.infra.jobs.registry import JobRegistry
from revenge.infra.jobs.types import JobLimits


def _first_run(path: str, job_id: int) -> bool:
    """Whether this job has not started before (small files: read in place)."""
    file = Path(path)
    return not file.exists() or f"start {job_id} " not in file.read_text()


def _append(path: str, line: str) -> None:
    with Path(path).open("a") as fh:
        fh.write(line + "\n")


async def record(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Write `start`, sleep `seconds` (with `slow_once`, only on the first run), write `done`."""
    first_run = _first_run(payload["path"], ctx.job_id)
    _append(payload["path"], f"start {ctx.job_id} attempt={ctx.attempt}")
    if first_run or not payload.get("slow_once"):
        await asyncio.sleep(float(payload.get("seconds", 0)))
    _append(payload["path"], f"done {ctx.job_id}")


async def flaky(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Fail until attempt `succeed_on`, recording each attempt."""
    _append(payload["path"], f"attempt {ctx.attempt}")
    if ctx.attempt < int(payload["succeed_on"]):
        raise RuntimeError(f"boom on attempt {ctx.attempt}")


async def audited(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Like `record` (same payload), plus an activity entry at the start and end of each run."""
    log, job = ctx.runtime.activity.log, str(ctx.job_id)
    log("testing", "job.start", resource_type="job", resource_id=job,
        details={"attempt": ctx.attempt})  # fmt: skip
    first_run = _first_run(payload["path"], ctx.job_id)
    _append(payload["path"], f"start {ctx.job_id} attempt={ctx.attempt}")
    if first_run or not payload.get("slow_once"):
        await asyncio.sleep(float(payload.get("seconds", 0)))
    _append(payload["path"], f"done {ctx.job_id}")
    log("testing", "job.done", resource_type="job", resource_id=job,
        details={"attempt": ctx.attempt})  # fmt: skip


async def noop(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Does nothing: for throughput measurements."""


def register(registry: JobRegistry) -> None:
    registry.task("testing.record", queue="maintenance")(record)
    registry.task("testing.flaky", queue="maintenance", limits=JobLimits(max_attempts=3))(flaky)
    registry.task("testing.noop", queue="maintenance")(noop)
    registry.task("testing.audited", queue="maintenance")(audited)
