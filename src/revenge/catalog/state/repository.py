"""SQL of user item state."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog.audiobooks.models import Audiobook
from revenge.catalog.movies.models import Movie
from revenge.catalog.music.models import Track
from revenge.catalog.podcasts.models import PodcastEpisode
from revenge.catalog.state.models import UserItemState
from revenge.catalog.tv.models import Episode
from revenge.libraries.models import MediaFile

# Item kinds a user can play, with the table holding them.
PLAYABLE: dict[str, Any] = {
    "movie": Movie,
    "episode": Episode,
    "track": Track,
    "audiobook": Audiobook,
    "podcast_episode": PodcastEpisode,
}


async def item_library(session: AsyncSession, kind: str, item_id: uuid.UUID) -> uuid.UUID | None:
    model = PLAYABLE[kind]
    found: uuid.UUID | None = await session.scalar(
        select(model.library_id).where(model.id == item_id)
    )
    return found


async def main_duration(session: AsyncSession, item_id: uuid.UUID) -> float | None:
    """Running time of an item from its longest main (non-extra) file, if analysed."""
    found: float | None = await session.scalar(
        select(func.max(MediaFile.duration_seconds)).where(
            MediaFile.item_id == item_id, MediaFile.extra_type.is_(None)
        )
    )
    return found


async def get_state(
    session: AsyncSession, user_id: uuid.UUID, kind: str, item_id: uuid.UUID
) -> UserItemState | None:
    return await session.get(UserItemState, (user_id, kind, item_id))


async def save_state(
    session: AsyncSession,
    user_id: uuid.UUID,
    kind: str,
    item_id: uuid.UUID,
    library_id: uuid.UUID,
    changes: dict[str, Any],
) -> UserItemState:
    values = {"user_id": user_id, "item_kind": kind, "item_id": item_id, "library_id": library_id}
    stmt = insert(UserItemState).values(**values, **changes)
    stmt = stmt.on_conflict_do_update(
        index_elements=["user_id", "item_kind", "item_id"],
        set_={**changes, "updated_at": func.now()},
    )
    await session.execute(stmt)
    state = await session.get(UserItemState, (user_id, kind, item_id), populate_existing=True)
    assert state is not None
    return state


async def library_of(session: AsyncSession, table: str, item_id: uuid.UUID) -> uuid.UUID | None:
    """The library of a row of a catalogue table (`table` is a trusted name)."""
    from sqlalchemy import text

    found: uuid.UUID | None = await session.scalar(
        text(f"SELECT library_id FROM {table} WHERE id = :id"), {"id": item_id}
    )
    return found
