"""The caller's own state of an item: progress, played, favourite."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.api.auth import Principal
from revenge.api.deps import CurrentUser, DbSession
from revenge.catalog.schemas import UserStateOut, state_out
from revenge.catalog.state import repository as repo
from revenge.errors import NotFound
from revenge.libraries.access import allowed_library_ids

router = APIRouter()

ItemKind = Literal["movie", "episode", "track", "audiobook", "podcast_episode"]


class StatePatch(BaseModel):
    position_seconds: float | None = Field(None, ge=0, le=10_000_000)
    played: bool | None = None
    favourite: bool | None = None


async def _visible_library(
    session: AsyncSession, user: Principal, kind: str, item_id: uuid.UUID
) -> uuid.UUID:
    library_id = await repo.item_library(session, kind, item_id)
    allowed = await allowed_library_ids(session, user)
    if library_id is None or (allowed is not None and library_id not in allowed):
        raise NotFound(f"No {kind} {item_id}.")
    return library_id


@router.get("/{kind}/{item_id}/state")
async def get_state(
    kind: ItemKind, item_id: uuid.UUID, user: CurrentUser, session: DbSession
) -> UserStateOut:
    await _visible_library(session, user, kind, item_id)
    return state_out(await repo.get_state(session, user.user_id, kind, item_id))


@router.patch("/{kind}/{item_id}/state")
async def update_state(
    kind: ItemKind, item_id: uuid.UUID, body: StatePatch, user: CurrentUser, session: DbSession
) -> UserStateOut:
    """Record progress, played or favourite; marking played counts one more play."""
    library_id = await _visible_library(session, user, kind, item_id)
    changes = body.model_dump(exclude_none=True)
    if body.played:
        previous = await repo.get_state(session, user.user_id, kind, item_id)
        changes["play_count"] = (previous.play_count if previous else 0) + 1
        changes["last_played_at"] = datetime.now(UTC)
        changes.setdefault("position_seconds", 0.0)
    state = await repo.save_state(session, user.user_id, kind, item_id, library_id, changes)
    return state_out(state)
