"""What the system endpoints ask of the database: setup state, the job queue and its jobs."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.errors import Conflict, NotFound
from revenge.infra.jobs import repository as jobs
from revenge.infra.jobs.repository import api_status as api_status
from revenge.system import repository


async def setup_pending(session: AsyncSession) -> bool:
    """No user exists yet: first-run setup has not been done."""
    return not await repository.has_any_user(session)


async def job_queue_installed(session: AsyncSession) -> bool:
    return await repository.job_queue_installed(session)


async def job_counts(session: AsyncSession) -> list[tuple[str, str, int]]:
    return await jobs.counts_by_task(session)


async def list_jobs(
    session: AsyncSession, status: str, tasks: list[str] | None, limit: int, before: int | None
) -> list[dict[str, Any]]:
    return await jobs.list_jobs(session, status, tasks, limit, before)


async def schedule_runs(session: AsyncSession) -> dict[str, dict[str, Any]]:
    return await jobs.schedule_runs(session)


async def job_record(
    session: AsyncSession, job_id: int
) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The job while queued or running (None after), and its log; NotFound when neither."""
    active = await jobs.get_active(session, job_id)
    history = await jobs.job_log(session, job_id)
    if active is None and not history:
        raise NotFound(f"No job {job_id}.")
    return active, history


async def retry_job(session: AsyncSession, job_id: int) -> None:
    """Queue a failed job again with fresh attempts."""
    if not await jobs.requeue_failed(session, job_id):
        raise await _not_in_state(session, job_id, "failed")


async def cancel_job(session: AsyncSession, job_id: int) -> None:
    """Cancel a job that has not started."""
    if not await jobs.cancel_queued(session, job_id):
        raise await _not_in_state(session, job_id, "queued")


# Why a job that has ended cannot be retried or cancelled, by its final state.
_ENDED = {
    "cancelled": "was cancelled before it ran; its arguments are not kept, so start the work"
    " again (e.g. a new scan) instead of retrying it",
    "completed": "has already completed; there is nothing to retry or cancel",
    "errored": "ended with an error and was not kept for retrying; start the work again",
}


async def _not_in_state(session: AsyncSession, job_id: int, wanted: str) -> Exception:
    """404 for a job never seen; 409 saying why for one in another state or already ended."""
    active = await jobs.get_active(session, job_id)
    if active is not None:
        return Conflict(f"Job {job_id} is {api_status(active['status'])}, not {wanted}.")
    history = await jobs.job_log(session, job_id)
    if not history:
        return NotFound(f"No job {job_id}.")
    ended = api_status(history[-1]["status"])
    why = _ENDED.get(ended, f"is {ended}, not {wanted}")
    return Conflict(f"Job {job_id} {why}.", job_status=ended)
