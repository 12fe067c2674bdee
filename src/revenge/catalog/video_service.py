"""Movies and TV for protocol adapters: pages, single items, seasons, episodes.

The native routes read the same repositories through `Browse`; adapters (the Jellyfin API)
call these functions instead, so they never touch a repository. Every function takes the
caller's visible libraries (`allowed`, None for all): a hidden item is simply absent.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog import repository as catalog_repo
from revenge.catalog.browse import Browse
from revenge.catalog.movies import service as movies
from revenge.catalog.movies.models import Movie
from revenge.catalog.totals import CatalogTotals
from revenge.catalog.tv import service as tv
from revenge.catalog.tv.models import Episode, Season, Series
from revenge.identity import Principal
from revenge.images.repository import item_images
from revenge.infra.cache import Cache

Allowed = set[uuid.UUID] | None
MOVIE_SORTS = movies.SORTS
SERIES_SORTS = tv.SORTS


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
) -> tuple[list[Row[Any]], int]:  # fmt: skip
    """A page of movies in one of MOVIE_SORTS (rows with the table's columns), and the total;
    filters as the native list."""
    rows, total, _ = await movies.page(
        _browse(session, user, allowed, wanted), wanted.sort, **filters
    )
    return rows, total


async def series_page(
    session: AsyncSession, user: Principal, allowed: Allowed, wanted: PageRequest,
    filters: dict[str, Any],
) -> tuple[list[Row[Any]], int]:  # fmt: skip
    """A page of series in one of SERIES_SORTS (rows with the table's columns), and the
    total; filters as the native list."""
    rows, total, _ = await tv.page(_browse(session, user, allowed, wanted), wanted.sort, **filters)
    return rows, total


async def movie(session: AsyncSession, allowed: Allowed, movie_id: uuid.UUID) -> Movie | None:
    return await catalog_repo.visible_row(session, Movie, movie_id, allowed)


async def series(session: AsyncSession, allowed: Allowed, series_id: uuid.UUID) -> Series | None:
    return await catalog_repo.visible_row(session, Series, series_id, allowed)


async def season(session: AsyncSession, allowed: Allowed, season_id: uuid.UUID) -> Season | None:
    return await catalog_repo.visible_row(session, Season, season_id, allowed)


async def episode(session: AsyncSession, allowed: Allowed, episode_id: uuid.UUID) -> Episode | None:
    return await catalog_repo.visible_row(session, Episode, episode_id, allowed)


async def seasons(
    session: AsyncSession, allowed: Allowed, series_id: uuid.UUID
) -> list[tuple[Season, int]]:
    """A visible series' seasons in order with their episode counts; [] when hidden."""
    if await series(session, allowed, series_id) is None:
        return []
    return await tv.seasons(session, series_id)


async def episodes(session: AsyncSession, allowed: Allowed, season_id: uuid.UUID) -> list[Episode]:
    """A visible season's episodes in order; [] when hidden."""
    if await season(session, allowed, season_id) is None:
        return []
    return await tv.episodes(session, season_id)


async def series_episodes(
    session: AsyncSession, allowed: Allowed, series_id: uuid.UUID
) -> list[Episode]:
    """Every episode of a visible series, season by season."""
    found: list[Episode] = []
    for row, _ in await seasons(session, allowed, series_id):
        found += await tv.episodes(session, row.id)
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


async def player_states(
    session: AsyncSession, user_id: uuid.UUID, kind: str, item_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Any]:
    """What a player shows beside each item of `kind`, by item id, in one statement: the
    caller's state columns (as `states` has them; None without a state row) and `duration`,
    the running time of the item's first file (as `files` orders them; None without one)."""
    return await catalog_repo.player_states(session, user_id, kind, item_ids)


async def images(session: AsyncSession, kind: str, item_id: uuid.UUID) -> dict[str, Any]:
    """The item's artwork by kind (poster, backdrop, thumb, logo, cover...)."""
    return dict(await item_images(session, kind, item_id))
