"""SQL over pgqueuer's tables for the admin job API."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# API status names -> pgqueuer's.
ACTIVE_STATUSES = {"queued": "queued", "running": "picked", "failed": "failed"}
FINISHED_STATUSES = {"completed": "successful", "errored": "exception", "cancelled": "canceled"}
_API_NAME = {v: k for k, v in {**ACTIVE_STATUSES, **FINISHED_STATUSES}.items()}

_ACTIVE_COLUMNS = (
    "id, entrypoint, status::text AS status, priority, attempts, payload, created, updated,"
    " execute_after, heartbeat, dedupe_key"
)


def api_status(raw: str) -> str:
    return _API_NAME.get(raw, raw)


# Where jobs of each kind of status are listed from: the queue itself, or the log of ended jobs.
_ACTIVE_LIST = f"SELECT {_ACTIVE_COLUMNS} FROM pgqueuer", "id"
_FINISHED_LIST = (
    "SELECT job_id AS id, entrypoint, status::text AS status, priority, created AS updated,"
    " traceback FROM pgqueuer_log",
    "job_id",
)


async def list_jobs(
    session: AsyncSession, status: str, tasks: list[str] | None, limit: int, before_id: int | None
) -> list[dict[str, Any]]:
    """Jobs in API status `status` (of `tasks`, when given), newest first, below `before_id`."""
    if status in ACTIVE_STATUSES:
        (query, id_column), raw = _ACTIVE_LIST, ACTIVE_STATUSES[status]
    else:
        (query, id_column), raw = _FINISHED_LIST, FINISHED_STATUSES[status]
    sql = (
        f"{query} WHERE status::text = ANY(:statuses)"
        " AND (CAST(:tasks AS text[]) IS NULL OR entrypoint = ANY(:tasks))"
        f" AND (CAST(:before AS bigint) IS NULL OR {id_column} < :before)"
        f" ORDER BY {id_column} DESC LIMIT :limit"
    )
    rows = await session.execute(
        text(sql), {"statuses": [raw], "tasks": tasks, "before": before_id, "limit": limit}
    )
    return [dict(r) for r in rows.mappings()]


async def get_active(session: AsyncSession, job_id: int) -> dict[str, Any] | None:
    row = await session.execute(
        text(f"SELECT {_ACTIVE_COLUMNS} FROM pgqueuer WHERE id = :id"), {"id": job_id}
    )
    found = row.mappings().first()
    return dict(found) if found else None


async def job_log(session: AsyncSession, job_id: int) -> list[dict[str, Any]]:
    rows = await session.execute(
        text(
            "SELECT status::text AS status, created, traceback, entrypoint FROM pgqueuer_log"
            " WHERE job_id = :id ORDER BY created, id"
        ),
        {"id": job_id},
    )
    return [dict(r) for r in rows.mappings()]


async def requeue_failed(session: AsyncSession, job_id: int) -> bool:
    result = await session.execute(
        text(
            "UPDATE pgqueuer SET status = 'queued', attempts = 0, execute_after = now(),"
            " updated = now() WHERE id = :id AND status = 'failed' RETURNING id"
        ),
        {"id": job_id},
    )
    return result.first() is not None


async def cancel_queued(session: AsyncSession, job_id: int) -> bool:
    result = await session.execute(
        text(
            "WITH gone AS (DELETE FROM pgqueuer WHERE id = :id AND status = 'queued'"
            " RETURNING id, priority, entrypoint)"
            " INSERT INTO pgqueuer_log (job_id, status, priority, entrypoint)"
            " SELECT id, 'canceled', priority, entrypoint FROM gone RETURNING job_id"
        ),
        {"id": job_id},
    )
    return result.first() is not None


async def schedule_runs(session: AsyncSession) -> dict[str, dict[str, Any]]:
    """Last and next run per scheduled entrypoint."""
    rows = await session.execute(
        text("SELECT entrypoint, expression, last_run, next_run FROM pgqueuer_schedules")
    )
    return {r["entrypoint"]: dict(r) for r in rows.mappings()}


async def counts_by_task(session: AsyncSession) -> list[tuple[str, str, int]]:
    """(task, API state, count) over the active jobs: queued, running, failed."""
    rows = await session.execute(
        text(
            "SELECT entrypoint, status::text, count(*) FROM pgqueuer"
            " WHERE status IN ('queued', 'picked', 'failed') GROUP BY 1, 2"
        )
    )
    return [(task, api_status(status), int(n)) for task, status, n in rows.tuples()]
