"""SQL of the TV module."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog.bulk import KeyedUpsert
from revenge.catalog.people.repository import delete_orphan_credits
from revenge.catalog.repository import (
    delete_orphan_states,
    keyset_page,
    no_files_left,
    scoped,
    state_flag,
)
from revenge.catalog.state.models import UserItemState
from revenge.catalog.tv.models import Episode, Season, Series

if TYPE_CHECKING:
    from revenge.catalog.browse import Browse


SERIES_SORTS = {
    "title": Series.sort_title,
    "year": Series.year,
    "added": Series.created_at,
    "rating": Series.community_rating,
    "runtime": Series.runtime_minutes,
}
_SERIES = (
    ("title", "text"),
    ("sort_title", "text"),
    ("year", "int"),
    ("tvdb_id", "text"),
    ("tmdb_id", "text"),
    ("imdb_id", "text"),
)
_SEASONS = (("series_id", "uuid"), ("number", "int"))
_EPISODES = (
    ("series_id", "uuid"),
    ("season_id", "uuid"),
    ("season_number", "int"),
    ("number", "int"),
    ("ending_number", "int"),
    ("absolute_number", "int"),
    ("air_date", "date"),
    ("title", "text"),
)


upsert_series = KeyedUpsert("series", _SERIES)


upsert_seasons = KeyedUpsert("seasons", _SEASONS)


# The file decides which season an episode sits in; a move between seasons follows it.
upsert_episodes = KeyedUpsert(
    "episodes", _EPISODES, refresh=("season_id", "season_number", "ending_number")
)


async def delete_orphans(session: AsyncSession) -> int:
    """Delete episodes without files, then empty seasons, then empty series."""
    removed = 0
    for stmt in (
        delete(Episode).where(no_files_left(Episode.id)),
        delete(Season).where(~select(Episode.id).where(Episode.season_id == Season.id).exists()),
        delete(Series).where(
            ~select(Season.id).where(Season.series_id == Series.id).exists(),
            no_files_left(Series.id),
        ),
    ):
        result = await session.execute(stmt)
        removed += int(getattr(result, "rowcount", 0) or 0)
    removed += await delete_orphan_states(session, "episode", Episode.__table__)
    for kind, table in (("series", Series.__table__), ("episode", Episode.__table__)):
        removed += await delete_orphan_credits(session, kind, table)
    return removed + await delete_orphan_states(session, "series", Series.__table__)


@dataclass(frozen=True)
class SeriesFilters:
    """Optional narrowing of the series list; played means every episode played by the caller."""

    user_id: uuid.UUID
    year_from: int | None = None
    year_to: int | None = None
    played: bool | None = None


def _filtered(stmt: Select[Any], f: SeriesFilters) -> Select[Any]:
    if f.year_from is not None:
        stmt = stmt.where(Series.year >= f.year_from)
    if f.year_to is not None:
        stmt = stmt.where(Series.year <= f.year_to)
    if f.played is not None:
        unplayed = (
            select(Episode.id)
            .where(
                Episode.series_id == Series.id,
                ~state_flag(f.user_id, "episode", Episode.id, UserItemState.played),
            )
            .exists()
        )
        stmt = stmt.where(~unplayed if f.played else unplayed)
    return stmt


async def list_series(
    session: AsyncSession, browse: Browse, sort: str, filters: SeriesFilters
) -> tuple[list[Series], int, str | None]:
    """A page of series the caller may see, with the cursor of the next page."""
    stmt = scoped(select(Series), Series.library_id, browse.allowed, browse.library_id)
    return await keyset_page(
        session, _filtered(stmt, filters), Series.id, SERIES_SORTS[sort], sort,
        browse.descending, browse.limit, browse.offset, browse.cursor,
        browse.counter(filters.played is not None),
    )  # fmt: skip


async def get_series(
    session: AsyncSession, series_id: uuid.UUID, allowed: set[uuid.UUID] | None
) -> Series | None:
    stmt = scoped(select(Series).where(Series.id == series_id), Series.library_id, allowed, None)
    return (await session.execute(stmt)).scalar_one_or_none()


async def seasons_of(session: AsyncSession, series_id: uuid.UUID) -> list[tuple[Season, int]]:
    """Seasons in order, each with its episode count."""
    count = select(func.count()).where(Episode.season_id == Season.id).scalar_subquery().label("n")
    rows = await session.execute(
        select(Season, count).where(Season.series_id == series_id).order_by(Season.number)
    )
    return [(s, int(n)) for s, n in rows.all()]


async def get_season(
    session: AsyncSession, season_id: uuid.UUID, allowed: set[uuid.UUID] | None
) -> Season | None:
    stmt = scoped(select(Season).where(Season.id == season_id), Season.library_id, allowed, None)
    return (await session.execute(stmt)).scalar_one_or_none()


async def episodes_of(session: AsyncSession, season_id: uuid.UUID) -> list[Episode]:
    rows = await session.execute(
        select(Episode)
        .where(Episode.season_id == season_id)
        .order_by(Episode.number.nulls_last(), Episode.air_date.nulls_last(), Episode.title)
    )
    return list(rows.scalars())


async def get_episode(
    session: AsyncSession, episode_id: uuid.UUID, allowed: set[uuid.UUID] | None
) -> Episode | None:
    stmt = scoped(
        select(Episode).where(Episode.id == episode_id), Episode.library_id, allowed, None
    )
    return (await session.execute(stmt)).scalar_one_or_none()
