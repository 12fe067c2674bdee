"""A job queue that keeps jobs in memory, with the real queue's dedupe rule."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.infra.jobs.queue import JobQueue
from revenge.infra.jobs.registry import JobRegistry
from revenge.infra.jobs.types import JobPayload, JobType, QueuedJob

P = TypeVar("P", bound=JobPayload)


class MemoryJobQueue(JobQueue):
    """The job queue with its jobs kept in memory: `queued` holds what was enqueued, in order.

    A job whose dedupe key is already queued is refused (None), as pgqueuer does while the
    first one has not run; `take` removes jobs as if a worker had picked them. Names are
    checked against `known` (any name when None), not against a registry."""

    def __init__(self, known: set[str] | None = None) -> None:
        super().__init__(JobRegistry())
        self.known = known
        self.queued: list[QueuedJob] = []
        self._next_id = 1

    async def enqueue_many(
        self,
        session: AsyncSession | None,
        jobs: list[tuple[str, dict[str, Any], str | None]],
        *,
        delay: timedelta | None = None,
        priority: int = 0,
    ) -> list[int | None]:
        ids: list[int | None] = []
        for task, payload, key in jobs:
            if self.known is not None and task not in self.known:
                raise KeyError(f"unknown job {task!r}")
            if key is not None and any(j.dedupe_key == key for j in self.queued):
                ids.append(None)
                continue
            self.queued.append(QueuedJob(task, dict(payload), key))
            ids.append(self._next_id)
            self._next_id += 1
        return ids

    async def add(self, job_type: JobType[P], payload: P, dedupe_key: str | None = None) -> None:
        """Enqueue through a typed handle's payload model, as `job_type.enqueue` would."""
        job = job_type.job(payload, dedupe_key)
        await self.enqueue_many(None, [(job.task, job.payload, job.dedupe_key)])

    def payloads(self, job_type: JobType[P]) -> list[P]:
        """The queued payloads of one job type, parsed by its payload model."""
        return [job_type.parse(j.payload) for j in self.queued if j.task == job_type.name]

    def take(self, task: str) -> list[QueuedJob]:
        """Remove and return the queued jobs named `task`."""
        taken = [j for j in self.queued if j.task == task]
        self.queued = [j for j in self.queued if j.task != task]
        return taken
