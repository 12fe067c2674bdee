"""Maintenance jobs: periodic cleanup of expired and orphaned state."""

from __future__ import annotations

import logging
from typing import Any

from revenge.infra.jobs.context import JobContext
from revenge.infra.jobs.registry import JobRegistry

log = logging.getLogger(__name__)


async def cleanup(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Run every registered cleanup step, each in its own transaction."""
    for step in ctx.runtime.cleanup_steps:
        async with ctx.runtime.db.transaction() as session:
            removed = await step(session)
        log.info("cleanup step %s removed %d rows", getattr(step, "__name__", step), removed)


def register(registry: JobRegistry) -> None:
    registry.task("maintenance.cleanup", queue="maintenance", concurrency_limit=1)(cleanup)
    registry.schedule("maintenance.cleanup.hourly", "17 * * * *", "maintenance.cleanup")
