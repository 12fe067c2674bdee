"""SQL of podcasts as players list them: shows, and episodes with their file."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

_EPISODES = """
SELECT e.id, e.podcast_id, p.title AS podcast_title, e.title, e.description, e.published_on,
       coalesce(e.duration_seconds, f.duration_seconds) AS duration, e.created_at,
       f.path, f.size
FROM podcast_episodes e JOIN podcasts p ON p.id = e.podcast_id
LEFT JOIN LATERAL (
    SELECT m.path, m.size, m.duration_seconds FROM media_files m
    WHERE m.item_id = e.id AND m.item_kind = 'podcast_episode' AND m.missing_since IS NULL
    ORDER BY m.created_at LIMIT 1) f ON true
"""


def _scope(allowed: set[uuid.UUID] | None, column: str) -> str:
    return "" if allowed is None else f" AND {column} = ANY(:libs)"


async def shows(
    session: AsyncSession, allowed: set[uuid.UUID] | None, show_id: uuid.UUID | None
) -> list[Any]:
    where = "p.id = :sid" if show_id is not None else "true"
    sql = f"SELECT p.* FROM podcasts p WHERE {where}{_scope(allowed, 'p.library_id')}"
    params = {"sid": show_id, "libs": list(allowed or ())}
    return list(await session.execute(text(sql + " ORDER BY p.sort_title, p.id"), params))


async def episodes(
    session: AsyncSession, allowed: set[uuid.UUID] | None, show_ids: list[uuid.UUID] | None,
    limit: int,
) -> list[Any]:  # fmt: skip
    """Episodes of these shows (or of all), newest first."""
    where = "e.podcast_id = ANY(:shows)" if show_ids is not None else "true"
    sql = _EPISODES + f" WHERE {where}{_scope(allowed, 'e.library_id')}"
    sql += " ORDER BY e.published_on DESC NULLS LAST, e.created_at DESC LIMIT :lim"
    params = {"shows": show_ids or [], "libs": list(allowed or ()), "lim": limit}
    return list(await session.execute(text(sql), params))
