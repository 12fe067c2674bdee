"""Series, seasons and episodes as the native routes and the protocol adapters read them."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog.tv import repository as repo
from revenge.catalog.tv.models import Episode, Season

if TYPE_CHECKING:
    from revenge.catalog.browse import Browse

SORTS = tuple(repo.SERIES_SORTS)


async def page(browse: Browse, sort: str, **filters: Any) -> tuple[list[Row[Any]], int, str | None]:
    """A page of the series the caller may see, narrowed by `SeriesFilters`' fields: rows with
    the series' columns and the caller's `unplayed_count`."""
    chosen = repo.SeriesFilters(browse.principal.user_id, **filters)
    return await repo.list_series(browse.session, browse, sort, chosen)


async def seasons(session: AsyncSession, series_id: uuid.UUID) -> list[tuple[Season, int]]:
    """A series' seasons in order, each with its episode count."""
    return await repo.seasons_of(session, series_id)


async def episodes(session: AsyncSession, season_id: uuid.UUID) -> list[Episode]:
    """A season's episodes in order."""
    return await repo.episodes_of(session, season_id)
