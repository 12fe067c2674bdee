"""SQL of audiobooks as players list them (with their first author)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


async def by_ids(
    session: AsyncSession, allowed: set[uuid.UUID] | None, ids: Sequence[uuid.UUID]
) -> list[Any]:
    scope = "" if allowed is None else " AND b.library_id = ANY(:libs)"
    sql = f"""
        SELECT b.id, b.title, b.series_name, b.duration_seconds, b.created_at,
               (SELECT p.name FROM audiobook_people p WHERE p.audiobook_id = b.id
                ORDER BY p.role, p.position LIMIT 1) AS author
        FROM audiobooks b WHERE b.id = ANY(:ids){scope}"""
    found = await session.execute(text(sql), {"ids": list(ids), "libs": list(allowed or ())})
    return list(found)
