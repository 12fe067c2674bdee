"""Podcasts for callers outside the native routes (player protocols)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog.podcasts import lists_repository as repo


async def shows_with_episodes(
    session: AsyncSession, allowed: set[uuid.UUID] | None, show_id: uuid.UUID | None,
    with_episodes: bool,
) -> list[tuple[Any, list[Any]]]:  # fmt: skip
    """Visible shows (or the one named), each with its episodes newest first."""
    shows = await repo.shows(session, allowed, show_id)
    by_show: dict[uuid.UUID, list[Any]] = {s.id: [] for s in shows}
    if with_episodes and shows:
        for ep in await repo.episodes(session, allowed, list(by_show), 100_000):
            by_show[ep.podcast_id].append(ep)
    return [(s, by_show[s.id]) for s in shows]


async def newest_episodes(
    session: AsyncSession, allowed: set[uuid.UUID] | None, count: int
) -> list[Any]:
    return await repo.episodes(session, allowed, None, count)
