"""Enqueueing jobs by name, for what only knows a name: schedules, the admin's "run now",
and plugin jobs. Features enqueue through their typed `JobType` handles instead."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.infra.jobs.registry import JobRegistry
from revenge.infra.jobs.types import QueuedJob, enqueue_many


class JobQueue:
    """Enqueue registered jobs; unknown names are a programming error."""

    def __init__(self, registry: JobRegistry) -> None:
        self.registry = registry

    async def enqueue(
        self,
        session: AsyncSession,
        task: str,
        payload: dict[str, Any] | None = None,
        *,
        dedupe_key: str | None = None,
        delay: timedelta | None = None,
        priority: int = 0,
    ) -> int | None:
        """Add one job; with a dedupe key already queued or running, return None."""
        ids = await self.enqueue_many(
            session, [(task, payload or {}, dedupe_key)], delay=delay, priority=priority
        )
        return ids[0]

    async def enqueue_many(
        self,
        session: AsyncSession,
        jobs: list[tuple[str, dict[str, Any], str | None]],
        *,
        delay: timedelta | None = None,
        priority: int = 0,
    ) -> list[int | None]:
        """Add many jobs in one statement: (task, payload, dedupe key) each."""
        for task, _, _ in jobs:
            if task not in self.registry.tasks:
                raise KeyError(f"unknown job {task!r}")
        queued = [QueuedJob(task, payload, key) for task, payload, key in jobs]
        return await enqueue_many(session, queued, delay=delay, priority=priority)
