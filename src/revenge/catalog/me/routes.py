"""The caller's home rows: recently added, continue watching, next up."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from revenge.api.deps import CurrentUser, DbSession
from revenge.api.params import known_query_keys
from revenge.catalog.keyset import clamp_limit
from revenge.catalog.me import service
from revenge.libraries.access import allowed_library_ids

router = APIRouter(dependencies=[Depends(known_query_keys)])

Limit = Annotated[int, Query(json_schema_extra={"minimum": 1})]


class HomeItem(BaseModel):
    kind: str
    id: uuid.UUID
    library_id: uuid.UUID
    title: str
    created_at: datetime
    series_id: uuid.UUID | None = None
    season_number: int | None = None
    episode_number: int | None = None
    position_seconds: float | None = None
    duration_seconds: float | None = None


def _item(kind: str, row: Any, **extra: Any) -> HomeItem:
    if kind == "episode":
        extra.update(
            series_id=row.series_id, season_number=row.season_number, episode_number=row.number
        )
    return HomeItem(
        kind=kind, id=row.id, library_id=row.library_id, title=row.title,
        created_at=row.created_at, **extra,
    )  # fmt: skip


def _clamp(limit: int) -> int:
    return clamp_limit(limit, most=100)


@router.get("/recently-added")
async def recently_added(
    user: CurrentUser, session: DbSession, limit: Limit = 20
) -> list[HomeItem]:
    """Newest movies, series, albums, audiobooks and podcasts the caller may see."""
    allowed = await allowed_library_ids(session, user)
    return [_item(k, r) for k, r in await service.recently_added(session, allowed, _clamp(limit))]


@router.get("/continue-watching")
async def continue_watching(
    user: CurrentUser, session: DbSession, limit: Limit = 20
) -> list[HomeItem]:
    """Items started but not finished (5%..90% through), most recently watched first."""
    allowed = await allowed_library_ids(session, user)
    found = await service.in_progress(session, user.user_id, allowed, _clamp(limit))
    return [
        _item(kind, row, position_seconds=position, duration_seconds=duration)
        for kind, row, position, duration in found
    ]


@router.get("/next-up")
async def next_up(user: CurrentUser, session: DbSession, limit: Limit = 20) -> list[HomeItem]:
    """For each series the caller watches: the next unplayed episode, latest series first."""
    allowed = await allowed_library_ids(session, user)
    episodes = await service.next_up(session, user.user_id, allowed, _clamp(limit))
    return [_item("episode", e) for e in episodes]
