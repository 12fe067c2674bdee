"""The caller's own state of an item: progress, played, favourite."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.api.deps import CurrentUser, DbSession, RuntimeDep
from revenge.catalog.schemas import UserStateOut, state_out
from revenge.catalog.state import repository as repo
from revenge.catalog.state.models import UserItemState
from revenge.catalog.state.service import visible_library
from revenge.identity import Principal
from revenge.playback.service import report_progress

router = APIRouter()

# Progress at or past this fraction of the running time marks the item played.
PLAYED_FRACTION = 0.9

# The kinds a user plays, as the registry declares them (a string to the type checker).
if TYPE_CHECKING:
    ItemKind = str
else:
    ItemKind = Literal[repo.PLAYABLE]


class StatePatch(BaseModel):
    position_seconds: float | None = Field(None, ge=0, le=10_000_000)
    played: bool | None = None
    favourite: bool | None = None
    # A player reporting on a playback it opened (POST /items/{id}/playback): the session's
    # position and pause show in the admin's list, a stop ends it, any report keeps it alive.
    playback_session_id: uuid.UUID | None = None
    paused: bool | None = None
    stopped: bool | None = None


_PLAYER_FIELDS = {"playback_session_id", "paused", "stopped"}


@router.get("/{kind}/{item_id}/state")
async def get_state(
    kind: ItemKind, item_id: uuid.UUID, user: CurrentUser, session: DbSession
) -> UserStateOut:
    await visible_library(session, user, kind, item_id)
    return state_out(await repo.get_state(session, user.user_id, kind, item_id))


def _count_play(changes: dict[str, Any], previous: UserItemState | None) -> None:
    changes["played"] = True
    changes["play_count"] = (previous.play_count if previous else 0) + 1
    changes["last_played_at"] = datetime.now(UTC)


async def _changes(
    session: AsyncSession, user: Principal, kind: str, item_id: uuid.UUID, body: StatePatch
) -> dict[str, Any]:
    """The columns to write; progress past 90% of the running time counts as a play."""
    changes = body.model_dump(exclude_none=True, exclude=_PLAYER_FIELDS)
    previous = await repo.get_state(session, user.user_id, kind, item_id)
    if body.played:
        _count_play(changes, previous)
        changes.setdefault("position_seconds", 0.0)
    elif body.position_seconds is not None and body.played is None:
        duration = await repo.main_duration(session, item_id)
        if duration and body.position_seconds >= PLAYED_FRACTION * duration:
            # Repeated progress reports near the end of one viewing count once.
            already = (
                previous is not None
                and previous.played
                and (previous.position_seconds >= PLAYED_FRACTION * duration)
            )
            if not already:
                _count_play(changes, previous)
    return changes


@router.patch("/{kind}/{item_id}/state")
async def update_state(
    kind: ItemKind, item_id: uuid.UUID, body: StatePatch, user: CurrentUser, session: DbSession,
    runtime: RuntimeDep,
) -> UserStateOut:  # fmt: skip
    """Record progress, played or favourite; a finished viewing counts one more play."""
    library_id = await visible_library(session, user, kind, item_id)
    if body.playback_session_id is not None:
        await report_progress(
            runtime, session, user.user_id, item_id, body.playback_session_id,
            body.position_seconds, body.paused, bool(body.stopped),
        )  # fmt: skip
    changes = await _changes(session, user, kind, item_id, body)
    state = await repo.save_state(session, user.user_id, kind, item_id, library_id, changes)
    return state_out(state)
