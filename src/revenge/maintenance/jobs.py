"""Maintenance jobs: periodic cleanup of expired and orphaned state."""

from __future__ import annotations

import logging

from revenge.infra.jobs.context import JobContext
from revenge.infra.jobs.types import NoPayload
from revenge.maintenance.tasks import cleanup as cleanup_job

log = logging.getLogger(__name__)


@cleanup_job.handler
async def cleanup(ctx: JobContext, payload: NoPayload) -> None:
    """Run every registered cleanup step, each in its own transaction."""
    for step in ctx.runtime.cleanup_steps:
        async with ctx.runtime.db.transaction() as session:
            removed = await step(session)
        log.info("cleanup step %s removed %d rows", getattr(step, "__name__", step), removed)
