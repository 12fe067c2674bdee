"""SQL of user item state."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog.registry import KINDS
from revenge.catalog.state.models import UserItemState
from revenge.libraries.models import MediaFile

# Item kinds a user can play.
PLAYABLE = KINDS.names(lambda k: k.playable)
# Besides playable items, these can be starred and rated (albums, artists).
RATEABLE = KINDS.names(lambda k: k.rateable)


async def item_library(session: AsyncSession, kind: str, item_id: uuid.UUID) -> uuid.UUID | None:
    model = KINDS[kind].model
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
