"""SQL of user item state seen across items: recent plays of everyone, open bookmarks."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


async def playing_now(
    session: AsyncSession, allowed: set[uuid.UUID] | None, minutes: int
) -> list[Any]:
    """Tracks whose play started or ended in the last minutes, latest first."""
    scope = "" if allowed is None else " AND s.library_id = ANY(:libs)"
    sql = f"""
        SELECT s.item_id, s.user_id, u.username, s.last_played_at FROM user_item_state s
        JOIN users u ON u.id = s.user_id
        WHERE s.item_kind = 'track' AND s.last_played_at > now() - make_interval(mins => :m)
              {scope}
        ORDER BY s.last_played_at DESC LIMIT 100"""
    found = await session.execute(text(sql), {"m": minutes, "libs": list(allowed or ())})
    return list(found)


async def open_positions(
    session: AsyncSession, user_id: uuid.UUID, allowed: set[uuid.UUID] | None, kinds: list[str]
) -> list[Any]:
    """The caller's items with a resume position (not finished), newest first."""
    scope = "" if allowed is None else " AND s.library_id = ANY(:libs)"
    sql = f"""
        SELECT s.item_kind, s.item_id, s.position_seconds, s.updated_at FROM user_item_state s
        WHERE s.user_id = :uid AND s.item_kind = ANY(:kinds) AND s.position_seconds > 0
              AND NOT s.played {scope}
        ORDER BY s.updated_at DESC LIMIT 500"""
    params = {"uid": user_id, "kinds": kinds, "libs": list(allowed or ())}
    return list(await session.execute(text(sql), params))
