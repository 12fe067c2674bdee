"""SQL of playlists: video and audio share one shape, picked by kind."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.playlists.models import (
    AudioPlaylist,
    AudioPlaylistItem,
    VideoPlaylist,
    VideoPlaylistItem,
)

TABLES: dict[str, tuple[Any, Any]] = {
    "video": (VideoPlaylist, VideoPlaylistItem),
    "audio": (AudioPlaylist, AudioPlaylistItem),
}


async def get(session: AsyncSession, kind: str, playlist_id: uuid.UUID) -> Any:
    return await session.get(TABLES[kind][0], playlist_id)


async def add(session: AsyncSession, kind: str, values: dict[str, Any]) -> Any:
    playlist = TABLES[kind][0](**values)
    session.add(playlist)
    await session.flush()
    await session.refresh(playlist)
    return playlist


async def listing(
    session: AsyncSession, kind: str, user_id: uuid.UUID, include_public: bool
) -> list[Any]:
    """The user's playlists, plus other users' public ones when asked."""
    table = TABLES[kind][0]
    who = table.user_id == user_id
    if include_public:
        who = or_(who, table.is_public.is_(True))
    rows = await session.execute(
        select(table).where(who).order_by(func.lower(table.name), table.id)
    )
    return list(rows.scalars())


async def item_counts(session: AsyncSession, kind: str, ids: list[uuid.UUID]) -> dict[Any, int]:
    item = TABLES[kind][1]
    rows = await session.execute(
        select(item.playlist_id, func.count())
        .where(item.playlist_id.in_(ids))
        .group_by(item.playlist_id)
    )
    return {r[0]: int(r[1]) for r in rows}


async def entries(session: AsyncSession, kind: str, playlist_id: uuid.UUID) -> list[Any]:
    item = TABLES[kind][1]
    rows = await session.execute(
        select(item).where(item.playlist_id == playlist_id).order_by(item.position, item.id)
    )
    return list(rows.scalars())


async def last_position(session: AsyncSession, kind: str, playlist_id: uuid.UUID) -> float:
    item = TABLES[kind][1]
    found = await session.scalar(
        select(func.max(item.position)).where(item.playlist_id == playlist_id)
    )
    return float(found or 0.0)


async def add_entries(session: AsyncSession, kind: str, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.add_all([TABLES[kind][1](**row) for row in rows])
        await session.flush()


async def get_entry(
    session: AsyncSession, kind: str, playlist_id: uuid.UUID, entry_id: uuid.UUID
) -> Any:
    item = TABLES[kind][1]
    return await session.scalar(
        select(item).where(item.id == entry_id, item.playlist_id == playlist_id)
    )


async def remove_entry(
    session: AsyncSession, kind: str, playlist_id: uuid.UUID, entry_id: uuid.UUID
) -> bool:
    item = TABLES[kind][1]
    result = await session.execute(
        delete(item).where(item.id == entry_id, item.playlist_id == playlist_id)
    )
    return bool(getattr(result, "rowcount", 0))


async def set_position(session: AsyncSession, kind: str, entry_id: uuid.UUID, pos: float) -> None:
    item = TABLES[kind][1]
    await session.execute(update(item).where(item.id == entry_id).values(position=pos))


async def renumber(session: AsyncSession, kind: str, playlist_id: uuid.UUID) -> None:
    """Spread positions out again (1, 2, 3...) when repeated moves exhausted the gaps."""
    item = TABLES[kind][1]
    ranked = (
        select(item.id, func.row_number().over(order_by=(item.position, item.id)).label("n"))
        .where(item.playlist_id == playlist_id)
        .subquery()
    )
    await session.execute(update(item).where(item.id == ranked.c.id).values(position=ranked.c.n))


async def touch(session: AsyncSession, playlist: Any) -> None:
    playlist.updated_at = datetime.now(UTC)
    await session.flush()
