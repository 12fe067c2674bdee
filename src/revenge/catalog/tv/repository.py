"""SQL of the TV module."""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any

from sqlalchemy import Select, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog import repository as shared
from revenge.catalog.bulk import KeyedUpsert
from revenge.catalog.state.models import UserItemState
from revenge.catalog.tv.models import Episode, Season, Series

SERIES_SORTS = shared.sorts(Series, "title", "year", "added", "rating", "runtime")


upsert_series = KeyedUpsert.of(
    Series, "title", "sort_title", "year", "tvdb_id", "tmdb_id", "imdb_id"
)


upsert_seasons = KeyedUpsert.of(Season, "series_id", "number")


# The file decides which season an episode sits in; a move between seasons follows it.
upsert_episodes = KeyedUpsert.of(
    Episode, "series_id", "season_id", "season_number", "number", "ending_number",
    "absolute_number", "air_date", "title",
    refresh=("season_id", "season_number", "ending_number"),
)  # fmt: skip


async def delete_orphans(session: AsyncSession) -> int:
    """Delete episodes without files, then empty seasons, then empty series."""
    deletes = (
        delete(Episode).where(shared.no_files_left(Episode.id)),
        delete(Season).where(~select(Episode.id).where(Episode.season_id == Season.id).exists()),
        delete(Series).where(
            ~select(Season.id).where(Season.series_id == Series.id).exists(),
            shared.no_files_left(Series.id),
        ),
    )
    gone = [("episode", Episode), ("series", Series)]
    return await shared.purge_orphans(session, deletes, states=gone, credits=gone)


# The series list's narrowing; played means every episode played by the caller.
SeriesFilters = shared.ListFilters


def _filtered(f: SeriesFilters) -> Select[Any]:
    stmt = shared.in_years(shared.listing(Series), Series.year, f)
    if f.played is not None:
        unplayed = (
            select(Episode.id)
            .where(
                Episode.series_id == Series.id,
                ~shared.state_flag("episode", Episode.id, UserItemState.played),
            )
            .exists()
        )
        stmt = stmt.where(~unplayed if f.played else unplayed)
    return stmt


async def list_series(
    session: AsyncSession, browse: shared.Window, sort: str, filters: SeriesFilters
) -> tuple[list[Any], int, str | None]:
    """A page of series the caller may see (rows of the table's columns, with the caller's
    `unplayed_count`), with the cursor of the next page."""
    per_user = filters.played is not None
    return await shared.keyset_rows(
        session, ("series", *shared.year_shape(filters)), partial(_filtered, filters), Series,
        SERIES_SORTS[sort], sort, browse, values=shared.years(filters), per_user=per_user,
        flags="series",
    )  # fmt: skip


async def seasons_of(session: AsyncSession, series_id: uuid.UUID) -> list[tuple[Season, int]]:
    """Seasons in order, each with its episode count."""
    count = select(func.count()).where(Episode.season_id == Season.id).scalar_subquery().label("n")
    rows = await session.execute(
        select(Season, count).where(Season.series_id == series_id).order_by(Season.number)
    )
    return [(s, int(n)) for s, n in rows.all()]


async def episodes_of(session: AsyncSession, season_id: uuid.UUID) -> list[Episode]:
    order = (Episode.number.nulls_last(), Episode.air_date.nulls_last(), Episode.title)
    return await shared.children(session, Episode.season_id, season_id, order)
