"""The caller's home rows: recently added, continue watching, next up.

Read by the native home routes and by the protocol adapters alike. Every function takes the
caller's visible libraries (`allowed`, None for all): a hidden item is simply absent.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog.me import repository as repo
from revenge.catalog.tv.models import Episode

Allowed = set[uuid.UUID] | None


async def recently_added(
    session: AsyncSession, allowed: Allowed, limit: int
) -> list[tuple[str, Any]]:
    """(kind, row) of the newest top-level items of every module, newest first."""
    return await repo.recently_added(session, allowed, limit)


async def in_progress(
    session: AsyncSession, user_id: uuid.UUID, allowed: Allowed, limit: int
) -> list[tuple[str, Any, float, float]]:
    """(kind, row, position, running time in seconds) of items started and not finished,
    most recently watched first."""
    states = await repo.in_progress(session, user_id, allowed, limit)
    out: list[tuple[str, Any, float, float]] = []
    for kind in {s.item_kind for s, _ in states}:
        ids = [s.item_id for s, _ in states if s.item_kind == kind]
        rows = await repo.items_by_id(session, kind, ids)
        out += [
            (kind, rows[s.item_id], s.position_seconds, duration)
            for s, duration in states
            if s.item_kind == kind and s.item_id in rows
        ]
    order = {s.item_id: n for n, (s, _) in enumerate(states)}
    return sorted(out, key=lambda found: order[found[1].id])


async def next_up(
    session: AsyncSession, user_id: uuid.UUID, allowed: Allowed, limit: int
) -> list[Episode]:
    """For each series the caller watches: the next unplayed episode, latest series first."""
    return await repo.next_up(session, user_id, allowed, limit)
