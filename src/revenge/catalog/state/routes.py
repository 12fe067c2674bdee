"""The caller's own state of an item: progress, played, favourite."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from revenge.api.deps import CurrentUser, DbSession, RuntimeDep
from revenge.catalog.schemas import UserStateOut, state_out
from revenge.catalog.state import service
from revenge.playback.service import report_progress

router = APIRouter()

# The kinds a user plays, as the registry declares them (a string to the type checker).
if TYPE_CHECKING:
    ItemKind = str
else:
    ItemKind = Literal[service.PLAYABLE]


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
    return state_out(await service.get(session, user, kind, item_id))


@router.patch("/{kind}/{item_id}/state")
async def update_state(
    kind: ItemKind, item_id: uuid.UUID, body: StatePatch, user: CurrentUser, session: DbSession,
    runtime: RuntimeDep,
) -> UserStateOut:  # fmt: skip
    """Record progress, played or favourite; a finished viewing counts one more play."""
    library_id = await service.visible_library(session, user, kind, item_id)
    if body.playback_session_id is not None:
        await report_progress(
            runtime, session, user.user_id, item_id, body.playback_session_id,
            body.position_seconds, body.paused, bool(body.stopped),
        )  # fmt: skip
    changes = body.model_dump(exclude_none=True, exclude=_PLAYER_FIELDS)
    state = await service.patch(session, user, kind, item_id, library_id, changes)
    return state_out(state)
