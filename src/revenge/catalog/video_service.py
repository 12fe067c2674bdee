"""Movies and TV for protocol adapters: pages, single items, seasons, episodes, home rows.

The native routes read the same repositories through `Browse`; adapters (the Jellyfin API)
call these functions instead, so they never touch a repository. Every function takes the
caller's visible libraries (`allowed`, None for all): a hidden item is simply absent.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog import repository as catalog_repo
from revenge.catalog.browse import Browse
from revenge.catalog.me import repository as home
from revenge.catalog.movies import repository as movies
from revenge.catalog.movies.models import Movie
from revenge.catalog.totals import CatalogTotals
from revenge.catalog.tv import repository as tv
from revenge.catalog.tv.models import Episode, Season, Series
from revenge.identity import Principal
from revenge.images.repository import item_images
from revenge.infra.cache import Cache

Allowed = set[uuid.UUID] | None
MOVIE_SORTS = tuple(movies.SORTS)
SERIES_SORTS = tuple(tv.SERIES_SORTS)


@dataclass(frozen=True)
class PageRequest:
    """Which page of a list, in which order; `cache` keeps list totals between requests."""

    library_id: uuid.UUID | None
    sort: str
    descending: bool
    limit: int
    offset: int
    cache: Cache | None = None


def _browse(
    session: AsyncSession, user: Principal, allowed: Allowed, wanted: PageRequest
) -> Browse:
    order = "desc" if wanted.descending else "asc"
    totals = CatalogTotals(wanted.cache) if wanted.cache is not None else None
    return Browse(
        user, session, allowed, wanted.library_id, order, wanted.limit, wanted.offset,
        totals=totals,
    )  # fmt: skip


async def movie_page(
    session: AsyncSession, user: Principal, allowed: Allowed, wanted: PageRequest,
    filters: dict[str, Any],
) -> tuple[list[Movie], int]:  # fmt: skip
    """A page of movies in one of MOVIE_SORTS, and the total; filters as the native list."""
    browse = _browse(session, user, allowed, wanted)
    chosen = movies.MovieFilters(user.user_id, **filters)
    rows, total, _ = await movies.list_movies(session, browse, wanted.sort, chosen)
    return rows, total


async def series_page(
    session: AsyncSession, user: Principal, allowed: Allowed, wanted: PageRequest,
    filters: dict[str, Any],
) -> tuple[list[Series], int]:  # fmt: skip
    browse = _browse(session, user, allowed, wanted)
    chosen = tv.SeriesFilters(user.user_id, **filters)
    rows, total, _ = await tv.list_series(session, browse, wanted.sort, chosen)
    return rows, total


async def movie(session: AsyncSession, allowed: Allowed, movie_id: uuid.UUID) -> Movie | None:
    return await movies.get_movie(session, movie_id, allowed)


async def series(session: AsyncSession, allowed: Allowed, series_id: uuid.UUID) -> Series | None:
    return await tv.get_series(session, series_id, allowed)


async def season(session: AsyncSession, allowed: Allowed, season_id: uuid.UUID) -> Season | None:
    return await tv.get_season(session, season_id, allowed)


async def episode(session: AsyncSession, allowed: Allowed, episode_id: uuid.UUID) -> Episode | None:
    return await tv.get_episode(session, episode_id, allowed)


async def seasons(
    session: AsyncSession, allowed: Allowed, series_id: uuid.UUID
) -> list[tuple[Season, int]]:
    """A visible series' seasons in order with their episode counts; [] when hidden."""
    if await tv.get_series(session, series_id, allowed) is None:
        return []
    return await tv.seasons_of(session, series_id)


async def episodes(session: AsyncSession, allowed: Allowed, season_id: uuid.UUID) -> list[Episode]:
    """A visible season's episodes in order; [] when hidden."""
    if await tv.get_season(session, season_id, allowed) is None:
        return []
    return await tv.episodes_of(session, season_id)


async def series_episodes(
    session: AsyncSession, allowed: Allowed, series_id: uuid.UUID
) -> list[Episode]:
    """Every episode of a visible series, season by season."""
    found: list[Episode] = []
    for row, _ in await seasons(session, allowed, series_id):
        found += await tv.episodes_of(session, row.id)
    return found


async def files(
    session: AsyncSession, item_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """Each item's files with their streams (`{"file": MediaFile, "streams": [...]}`)."""
    return await catalog_repo.files_for_items(session, item_ids)


async def states(
    session: AsyncSession, user_id: uuid.UUID, item_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Any]:
    """The caller's state rows (progress, played, favourite) of these items, by item id."""
    return await catalog_repo.user_states(session, user_id, item_ids)


async def images(session: AsyncSession, kind: str, item_id: uuid.UUID) -> dict[str, Any]:
    """The item's artwork by kind (poster, backdrop, thumb, logo, cover...)."""
    return dict(await item_images(session, kind, item_id))


async def recently_added(
    session: AsyncSession, allowed: Allowed, limit: int
) -> list[tuple[str, Any]]:
    return await home.recently_added(session, allowed, limit)


async def in_progress(
    session: AsyncSession, user_id: uuid.UUID, allowed: Allowed, limit: int
) -> list[tuple[str, Any, float]]:
    """(kind, row, position seconds) of items started and not finished, latest first."""
    states_found = await home.in_progress(session, user_id, allowed, limit)
    out: list[tuple[str, Any, float]] = []
    for kind in {s.item_kind for s, _ in states_found}:
        ids = [s.item_id for s, _ in states_found if s.item_kind == kind]
        rows = await home.items_by_id(session, kind, ids)
        out += [
            (kind, rows[s.item_id], s.position_seconds)
            for s, _ in states_found
            if s.item_kind == kind and s.item_id in rows
        ]
    order = {s.item_id: n for n, (s, _) in enumerate(states_found)}
    return sorted(out, key=lambda found: order[found[1].id])


async def next_up(
    session: AsyncSession, user_id: uuid.UUID, allowed: Allowed, limit: int
) -> list[Episode]:
    return await home.next_up(session, user_id, allowed, limit)
