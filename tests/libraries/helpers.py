"""Small helpers for scanner tests: reading rows, ageing missing files, running cleanup."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import text

from revenge.infra.jobs.context import JobContext
from revenge.maintenance.jobs import cleanup
from revenge.runtime import Runtime


async def rows(runtime: Runtime, sql: str, **params: Any) -> list[dict[str, Any]]:
    async with runtime.db.transaction() as session:
        result = await session.execute(text(sql), params)
        return [dict(r) for r in result.mappings()]


async def files_by_name(runtime: Runtime) -> dict[str, dict[str, Any]]:
    found = await rows(runtime, "SELECT * FROM media_files")
    return {r["path"].rsplit("/", 1)[-1]: r for r in found}


async def age_missing(runtime: Runtime, hours: float) -> None:
    """Pretend the missing files went missing `hours` ago."""
    async with runtime.db.transaction() as session:
        await session.execute(
            text(
                "UPDATE media_files SET missing_since = now() - make_interval(secs => :s)"
                " WHERE missing_since IS NOT NULL"
            ),
            {"s": hours * 3600},
        )


async def run_cleanup(runtime: Runtime) -> None:
    await cleanup(JobContext(runtime, 0, "maintenance.cleanup", 1), {})


async def set_state(
    runtime: Runtime, user_id: uuid.UUID, kind: str, item_id: uuid.UUID, library_id: str
) -> None:
    async with runtime.db.transaction() as session:
        await session.execute(
            text(
                "INSERT INTO user_item_state (user_id, item_kind, item_id, library_id,"
                " position_seconds, played, play_count) VALUES (:u, :k, :i, :l, 42, true, 1)"
            ),
            {"u": user_id, "k": kind, "i": item_id, "l": library_id},
        )
