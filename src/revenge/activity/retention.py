"""Retention: the cleanup job deletes entries older than `activity.retention_days`."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.activity import repository as repo

if TYPE_CHECKING:
    from revenge.runtime import Runtime

log = logging.getLogger(__name__)

BATCH = 10_000


def retention_step(
    runtime: Runtime, batch: int = BATCH
) -> Callable[[AsyncSession], Awaitable[int]]:
    """A cleanup step deleting old entries in batches, each batch in its own transaction.

    Short transactions keep locks and WAL bursts small even when millions of rows expire,
    so the step deliberately leaves the session it is given unused.
    """

    async def delete_old_activity(session: AsyncSession) -> int:
        days = int(await runtime.server_settings.get("activity.retention_days"))
        cutoff = datetime.now(UTC) - timedelta(days=days)
        total, removed = 0, batch
        while removed == batch:
            async with runtime.db.transaction() as own:
                removed = await repo.delete_older_than(own, cutoff, batch)
            total += removed
        return total

    return delete_old_activity
