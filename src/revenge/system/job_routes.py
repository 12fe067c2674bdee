"""Admin job API: list, inspect, retry and cancel jobs; list and trigger periodic tasks."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from revenge.api.deps import AdminUser, DbSession, RuntimeDep
from revenge.api.openapi import problem_responses
from revenge.api.params import known_query_keys
from revenge.errors import NotFound
from revenge.infra.jobs.registry import QUEUES, JobRegistry
from revenge.system import service
from revenge.system.job_schemas import (
    Enqueued,
    JobAttempt,
    JobDetail,
    JobPage,
    JobStatus,
    JobSummary,
    PeriodicTask,
)

router = APIRouter(dependencies=[Depends(known_query_keys)])

# Job ids are PostgreSQL bigints; anything outside is refused as invalid, not looked up.
_MAX_ID = 2**63 - 1
JobId = Annotated[int, Path(ge=1, le=_MAX_ID)]

_NOT_IN_STATE = problem_responses({409: "The job is not in a state that allows this."})


def _summary(row: dict[str, Any], registry: JobRegistry) -> JobSummary:
    spec = registry.tasks.get(row["entrypoint"])
    return JobSummary(
        id=row["id"],
        task=row["entrypoint"],
        queue=spec.queue if spec else None,
        status=service.api_status(row["status"]),
        priority=row["priority"],
        attempts=row.get("attempts"),
        updated=row.get("updated"),
    )


def _tasks_filter(registry: JobRegistry, queue: str | None, task: str | None) -> list[str] | None:
    if queue is None and task is None:
        return None
    names = [n for n, s in registry.tasks.items() if queue is None or s.queue == queue]
    return [n for n in names if task is None or n == task]


@router.get("")
async def list_jobs(
    _: AdminUser,
    session: DbSession,
    runtime: RuntimeDep,
    status: JobStatus = "queued",
    queue: Annotated[str | None, Query(pattern="^(" + "|".join(QUEUES) + ")$")] = None,
    task: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    before: Annotated[int | None, Query(ge=1, le=_MAX_ID)] = None,
) -> JobPage:
    """Jobs by status (newest first), filtered by queue or task; page with `before`."""
    tasks = _tasks_filter(runtime.registry, queue, task)
    rows = await service.list_jobs(session, status, tasks, limit, before)
    items = [_summary(r, runtime.registry) for r in rows]
    return JobPage(items=items, next_before=items[-1].id if len(items) == limit else None)


@router.get("/periodic")
async def list_periodic(
    _: AdminUser, session: DbSession, runtime: RuntimeDep
) -> list[PeriodicTask]:
    """Periodic tasks with their last and next run."""
    runs = await service.schedule_runs(session)
    return [
        PeriodicTask(
            name=s.name,
            cron=s.cron,
            task=s.task,
            last_run=runs.get(s.name, {}).get("last_run"),
            next_run=runs.get(s.name, {}).get("next_run"),
        )
        for s in runtime.registry.schedules.values()
    ]


@router.post("/periodic/{name}/run", status_code=202)
async def run_periodic(
    name: str, _: AdminUser, session: DbSession, runtime: RuntimeDep
) -> Enqueued:
    """Run a periodic task now (once; a run already queued is not doubled)."""
    spec = runtime.registry.schedules.get(name)
    if spec is None:
        raise NotFound(f"No periodic task named {name!r}.")
    job_id = await runtime.jobs.enqueue(session, spec.task, {}, dedupe_key=f"schedule:{spec.task}")
    return Enqueued(job_id=job_id, deduplicated=job_id is None)


@router.get("/{job_id}")
async def get_job(
    job_id: JobId, _: AdminUser, session: DbSession, runtime: RuntimeDep
) -> JobDetail:
    """One job: arguments, attempts, history and last error."""
    active, history = await service.job_record(session, job_id)
    base = active or {**history[-1], "id": job_id, "priority": 0}
    attempts = [
        JobAttempt(
            status=service.api_status(h["status"]),
            at=h["created"],
            error=_error_text(h["traceback"]),
        )
        for h in history
    ]
    errors = [a.error for a in attempts if a.error]
    detail = JobDetail(
        **_summary(base, runtime.registry).model_dump(),
        history=attempts,
        error=errors[-1] if errors else None,
    )
    if active is not None:
        detail.args = json.loads(active["payload"]) if active["payload"] else {}
        detail.created, detail.execute_after = active["created"], active["execute_after"]
        detail.heartbeat, detail.dedupe_key = active["heartbeat"], active["dedupe_key"]
    return detail


@router.post("/{job_id}/retry", status_code=202, responses=_NOT_IN_STATE)
async def retry_job(job_id: JobId, _: AdminUser, session: DbSession) -> Enqueued:
    """Queue a failed job again with fresh attempts."""
    await service.retry_job(session, job_id)
    return Enqueued(job_id=job_id, deduplicated=False)


@router.post("/{job_id}/cancel", status_code=202, responses=_NOT_IN_STATE)
async def cancel_job(job_id: JobId, _: AdminUser, session: DbSession) -> Enqueued:
    """Cancel a job that has not started."""
    await service.cancel_job(session, job_id)
    return Enqueued(job_id=job_id, deduplicated=False)


def _error_text(traceback: Any) -> str | None:
    if not traceback:
        return None
    data = json.loads(traceback) if isinstance(traceback, str) else traceback
    return f"{data.get('exception_type', 'Error')}: {data.get('exception_message', '')}"
