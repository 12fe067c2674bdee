"""SQL of the podcasts module."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog.bulk import KeyedUpsert
from revenge.catalog.podcasts.models import Podcast, PodcastEpisode
from revenge.catalog.repository import (
    delete_orphan_states,
    keyset_rows,
    no_files_left,
    page,
    scoped,
)
from revenge.libraries.models import MediaFile

if TYPE_CHECKING:
    from revenge.catalog.browse import Browse

SORTS = {"title": Podcast.sort_title, "added": Podcast.created_at}
_PODCASTS = (("title", "text"), ("sort_title", "text"), ("author", "text"))
_EPISODES = (
    ("podcast_id", "uuid"),
    ("title", "text"),
    ("episode_number", "int"),
    ("published_on", "date"),
    ("duration_seconds", "float8"),
)


upsert_podcasts = KeyedUpsert("podcasts", _PODCASTS)


upsert_episodes = KeyedUpsert("podcast_episodes", _EPISODES, refresh=("duration_seconds",))


async def delete_orphans(session: AsyncSession) -> int:
    removed = 0
    for stmt in (
        delete(PodcastEpisode).where(no_files_left(PodcastEpisode.id)),
        delete(Podcast).where(
            ~select(PodcastEpisode.id).where(PodcastEpisode.podcast_id == Podcast.id).exists()
        ),
    ):
        result = await session.execute(stmt)
        removed += int(getattr(result, "rowcount", 0) or 0)
    return removed + await delete_orphan_states(
        session, "podcast_episode", PodcastEpisode.__table__
    )


async def list_podcasts(
    session: AsyncSession, browse: Browse, sort: str
) -> tuple[list[tuple[Podcast, int]], int, str | None]:
    """Podcasts with their episode count, and the cursor of the next page."""
    count = select(func.count()).where(PodcastEpisode.podcast_id == Podcast.id).scalar_subquery()
    stmt = scoped(select(Podcast, count), Podcast.library_id, browse.allowed, browse.library_id)
    rows, total, following = await keyset_rows(
        session, stmt, Podcast.id, SORTS[sort], sort, browse.descending, browse.limit,
        browse.offset, browse.cursor, browse.counter(per_user=False),
    )  # fmt: skip
    return [(p, int(n)) for p, n in rows], total, following


async def get_podcast(
    session: AsyncSession, podcast_id: uuid.UUID, allowed: set[uuid.UUID] | None
) -> Podcast | None:
    stmt = scoped(
        select(Podcast).where(Podcast.id == podcast_id), Podcast.library_id, allowed, None
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def get_podcast_with_count(
    session: AsyncSession, podcast_id: uuid.UUID, allowed: set[uuid.UUID] | None
) -> tuple[Podcast, int] | None:
    count = select(func.count()).where(PodcastEpisode.podcast_id == Podcast.id).scalar_subquery()
    stmt = scoped(
        select(Podcast, count).where(Podcast.id == podcast_id), Podcast.library_id, allowed, None
    )
    row = (await session.execute(stmt)).first()
    return (row[0], int(row[1])) if row is not None else None


async def episodes_of(
    session: AsyncSession, podcast_id: uuid.UUID, limit: int, offset: int, descending: bool = True
) -> tuple[list[PodcastEpisode], int]:
    """Episodes by date, then number (undated ones last either way), then title and id."""
    stmt = select(PodcastEpisode).where(PodcastEpisode.podcast_id == podcast_id)
    if descending:
        order = [
            PodcastEpisode.published_on.desc().nulls_last(),
            PodcastEpisode.episode_number.desc().nulls_last(),
        ]
    else:
        order = [
            PodcastEpisode.published_on.asc().nulls_last(),
            PodcastEpisode.episode_number.asc().nulls_last(),
        ]
    order += [PodcastEpisode.title, PodcastEpisode.id]
    rows, total = await page(session, stmt, order, limit, offset)
    return [r[0] for r in rows], total


async def get_episode(
    session: AsyncSession, episode_id: uuid.UUID, allowed: set[uuid.UUID] | None
) -> PodcastEpisode | None:
    stmt = scoped(
        select(PodcastEpisode).where(PodcastEpisode.id == episode_id),
        PodcastEpisode.library_id,
        allowed,
        None,
    )
    return (await session.execute(stmt)).scalar_one_or_none()


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
