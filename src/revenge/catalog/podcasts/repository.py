"""SQL of the podcasts module."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Row, Select, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog import repository as shared
from revenge.catalog.bulk import KeyedUpsert
from revenge.catalog.podcasts.models import Podcast, PodcastEpisode
from revenge.libraries.models import MediaFile

SORTS = shared.sorts(Podcast, "title", "added")


_EPISODE_COUNT = (
    select(func.count()).where(PodcastEpisode.podcast_id == Podcast.id).scalar_subquery()
)

upsert_podcasts = KeyedUpsert.of(Podcast, "title", "sort_title", "author")


upsert_episodes = KeyedUpsert.of(
    PodcastEpisode, "podcast_id", "title", "episode_number", "published_on",
    "duration_seconds", refresh=("duration_seconds",),
)  # fmt: skip


async def delete_orphans(session: AsyncSession) -> int:
    deletes = (
        delete(PodcastEpisode).where(shared.no_files_left(PodcastEpisode.id)),
        delete(Podcast).where(
            ~select(PodcastEpisode.id).where(PodcastEpisode.podcast_id == Podcast.id).exists()
        ),
    )
    return await shared.purge_orphans(
        session, deletes, states=[("podcast_episode", PodcastEpisode)]
    )


async def list_podcasts(
    session: AsyncSession, browse: shared.Window, sort: str
) -> tuple[list[Row[Any]], int, str | None]:
    """Podcasts (rows of the table's columns) with their `episode_count` and the caller's
    `unplayed_count`, and the cursor of the next page."""
    return await shared.keyset_rows(
        session, ("podcasts",), _podcasts, Podcast, SORTS[sort], sort, browse, flags="podcast"
    )


def _podcasts() -> Select[Any]:
    return shared.listing(Podcast, _EPISODE_COUNT.label("episode_count"))


async def get_podcast_with_count(
    session: AsyncSession, podcast_id: uuid.UUID, allowed: set[uuid.UUID] | None
) -> tuple[Podcast, int] | None:
    row = await shared.visible_first(
        session, select(Podcast, _EPISODE_COUNT), Podcast, podcast_id, allowed
    )
    return (row[0], int(row[1])) if row is not None else None


async def episodes_of(
    session: AsyncSession, podcast_id: uuid.UUID, limit: int, offset: int, descending: bool = True
) -> tuple[list[PodcastEpisode], int]:
    """Episodes by date, then number (undated ones last either way), then title and id."""
    stmt = select(PodcastEpisode).where(PodcastEpisode.podcast_id == podcast_id)
    way = "desc" if descending else "asc"
    order = [
        getattr(column, way)().nulls_last()
        for column in (PodcastEpisode.published_on, PodcastEpisode.episode_number)
    ]
    order += [PodcastEpisode.title, PodcastEpisode.id]
    rows, total = await shared.page(session, stmt, order, limit, offset)
    return [r[0] for r in rows], total


async def episodes_at_paths(
    session: AsyncSession, library_id: uuid.UUID, paths: list[str]
) -> dict[str, tuple[uuid.UUID, uuid.UUID]]:
    """Path -> (episode id, podcast id) of the catalogued files among `paths`."""
    if not paths:
        return {}
    stmt = (
        select(MediaFile.path, PodcastEpisode.id, PodcastEpisode.podcast_id)
        .join(PodcastEpisode, PodcastEpisode.id == MediaFile.item_id)
        .where(
            MediaFile.library_id == library_id,
            MediaFile.item_kind == "podcast_episode",
            MediaFile.path.in_(paths),
        )
    )
    return {path: (e, p) for path, e, p in (await session.execute(stmt)).all()}


async def set_show_details(session: AsyncSession, podcast_id: uuid.UUID, **values: Any) -> None:
    """Show details from a source people chose (a subscribed feed); None values are kept."""
    kept = {k: v for k, v in values.items() if v is not None}
    if kept:
        await session.execute(update(Podcast).where(Podcast.id == podcast_id).values(**kept))


async def set_episode_details(session: AsyncSession, episode_id: uuid.UUID, **values: Any) -> None:
    kept = {k: v for k, v in values.items() if v is not None}
    if kept:
        await session.execute(
            update(PodcastEpisode).where(PodcastEpisode.id == episode_id).values(**kept)
        )
