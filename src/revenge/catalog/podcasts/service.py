"""Podcasts as the native routes and the player protocols read them."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog.podcasts import lists_repository as repo
from revenge.catalog.podcasts import repository as catalogue
from revenge.catalog.podcasts.models import Podcast, PodcastEpisode

if TYPE_CHECKING:
    from revenge.catalog.browse import Browse

SORTS = tuple(catalogue.SORTS)


async def page(browse: Browse, sort: str) -> tuple[list[Row[Any]], int, str | None]:
    """A page of the podcasts the caller may see, each with its `episode_count` and the
    caller's `unplayed_count`."""
    return await catalogue.list_podcasts(browse.session, browse, sort)


async def with_count(
    session: AsyncSession, podcast_id: uuid.UUID, allowed: set[uuid.UUID] | None
) -> tuple[Podcast, int] | None:
    return await catalogue.get_podcast_with_count(session, podcast_id, allowed)


async def episodes(
    browse: Browse, podcast_id: uuid.UUID, descending: bool
) -> tuple[list[PodcastEpisode], int]:
    """A page of a podcast's episodes by publication date, and their total."""
    return await catalogue.episodes_of(
        browse.session, podcast_id, browse.limit, browse.offset, descending=descending
    )


async def shows_with_episodes(
    session: AsyncSession, allowed: set[uuid.UUID] | None, show_id: uuid.UUID | None,
    with_episodes: bool,
) -> list[tuple[Any, list[Any]]]:  # fmt: skip
    """Visible shows (or the one named), each with its episodes newest first."""
    shows = await repo.shows(session, allowed, show_id)
    by_show: dict[uuid.UUID, list[Any]] = {s.id: [] for s in shows}
    if with_episodes and shows:
        for ep in await repo.episodes(session, allowed, list(by_show), 100_000):
            by_show[ep.podcast_id].append(ep)
    return [(s, by_show[s.id]) for s in shows]


async def newest_episodes(
    session: AsyncSession, allowed: set[uuid.UUID] | None, count: int
) -> list[Any]:
    return await repo.episodes(session, allowed, None, count)
