"""Writing a user's state of an item for callers other than the native state routes.

The same rules as `PATCH /api/v1/items/{kind}/{id}/state`: the item must be in a library
the caller may see (else not found), a completed play counts once more.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog.state import lists_repository as lists
from revenge.catalog.state import repository as repo
from revenge.catalog.state.models import UserItemState
from revenge.errors import NotFound
from revenge.identity import Principal
from revenge.libraries.access import allowed_library_ids

# The kinds a user plays, as the registry declares them.
PLAYABLE = repo.PLAYABLE
# Progress at or past this fraction of the running time counts as a play.
PLAYED_FRACTION = 0.9


async def visible_library(
    session: AsyncSession, user: Principal, kind: str, item_id: uuid.UUID
) -> uuid.UUID:
    if kind in repo.RATEABLE or kind in repo.PLAYABLE:
        library_id = await repo.item_library(session, kind, item_id)
    else:
        library_id = None  # playlists, shows...: nothing a user keeps state of
    allowed = await allowed_library_ids(session, user)
    if library_id is None or (allowed is not None and library_id not in allowed):
        raise NotFound(f"No {kind} {item_id}.")
    return library_id


async def update(
    session: AsyncSession, user: Principal, kind: str, item_id: uuid.UUID, changes: dict[str, Any]
) -> UserItemState:
    """Write some state columns (favourite, rating, position_seconds...) of a visible item."""
    library_id = await visible_library(session, user, kind, item_id)
    return await repo.save_state(session, user.user_id, kind, item_id, library_id, changes)


def _one_more_play(previous: UserItemState | None, when: datetime | None = None) -> dict[str, Any]:
    return {
        "played": True, "play_count": (previous.play_count if previous else 0) + 1,
        "last_played_at": when or datetime.now(UTC),
    }  # fmt: skip


async def get(
    session: AsyncSession, user: Principal, kind: str, item_id: uuid.UUID
) -> UserItemState | None:
    """The caller's state of a visible item (None when they have none yet)."""
    await visible_library(session, user, kind, item_id)
    return await repo.get_state(session, user.user_id, kind, item_id)


async def patch(
    session: AsyncSession, user: Principal, kind: str, item_id: uuid.UUID,
    library_id: uuid.UUID, changes: dict[str, Any],
) -> UserItemState:  # fmt: skip
    """Write progress, played or favourite; `played` or progress past 90% of the running
    time counts one more play (repeated reports near the end of one viewing count once)."""
    previous = await repo.get_state(session, user.user_id, kind, item_id)
    position = changes.get("position_seconds")
    if changes.get("played"):
        changes = {"position_seconds": 0.0, **changes, **_one_more_play(previous)}
    elif position is not None and "played" not in changes:
        duration = await repo.main_duration(session, item_id)
        if duration and position >= PLAYED_FRACTION * duration:
            already = (
                previous is not None
                and previous.played
                and (previous.position_seconds >= PLAYED_FRACTION * duration)
            )
            if not already:
                changes = changes | _one_more_play(previous)
    return await repo.save_state(session, user.user_id, kind, item_id, library_id, changes)


async def record_play(
    session: AsyncSession, user: Principal, kind: str, item_id: uuid.UUID, when: datetime | None
) -> UserItemState:
    """A finished play: played, one more play, resume position back to the start."""
    library_id = await visible_library(session, user, kind, item_id)
    previous = await repo.get_state(session, user.user_id, kind, item_id)
    changes = {"position_seconds": 0.0, **_one_more_play(previous, when)}
    return await repo.save_state(session, user.user_id, kind, item_id, library_id, changes)


async def started_playing(
    session: AsyncSession, user: Principal, kind: str, item_id: uuid.UUID
) -> UserItemState:
    """A play has just started (what "now playing" lists for a while)."""
    changes = {"last_played_at": datetime.now(UTC)}
    return await update(session, user, kind, item_id, changes)


async def now_playing(session: AsyncSession, user: Principal, minutes: int = 10) -> list[Any]:
    return await lists.playing_now(session, await allowed_library_ids(session, user), minutes)


async def bookmarks(session: AsyncSession, user: Principal, kinds: list[str]) -> list[Any]:
    allowed = await allowed_library_ids(session, user)
    return await lists.open_positions(session, user.user_id, allowed, kinds)


async def record_progress(
    session: AsyncSession, user: Principal, kind: str, item_id: uuid.UUID, position: float,
    finished: bool = False,
) -> UserItemState:  # fmt: skip
    """A player's position; at the end (or when `finished`, a stop near the end) a play."""
    duration = await repo.main_duration(session, item_id)
    if duration and position >= PLAYED_FRACTION * duration:
        previous = await repo.get_state(session, user.user_id, kind, item_id)
        if finished or not (previous and previous.played):
            return await record_play(session, user, kind, item_id, None)
    return await update(session, user, kind, item_id, {"position_seconds": position})
