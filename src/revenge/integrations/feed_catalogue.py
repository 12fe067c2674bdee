"""The feed's own words on catalogued downloads: show and episode titles, descriptions, art.

A download enters the catalogue through a scan, which knows only the file (its tags and
name). Once its episode exists, the subscription's details are applied to it (and to its
show) and the feed's artwork is queued for download through the SSRF-guarded image fetcher.
Applied once per downloaded file (`catalogued_at`); later scans keep these values, as the
cataloguer never overwrites a show's or episode's title or description.
"""

from __future__ import annotations

import uuid

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog.index_tasks import IndexedItem, IndexItems, index_items
from revenge.catalog.podcasts import repository as catalog
from revenge.catalog.text import sort_title
from revenge.images.tasks import DownloadImage, ImageTarget, download_image
from revenge.infra.jobs.queue import JobQueue
from revenge.infra.jobs.types import QueuedJob, enqueue_many
from revenge.integrations import repository as repo
from revenge.integrations.models import PodcastFeed, PodcastFeedEpisode


async def apply_to_catalogue(session: AsyncSession, jobs: JobQueue, feed: PodcastFeed) -> int:
    """Apply details to newly catalogued downloads; returns how many are not catalogued yet."""
    waiting = [
        e
        for e in await repo.episodes_of(session, feed.id, ("downloaded",))
        if e.file_path and e.catalogued_at is None
    ]
    if not waiting:
        return 0
    paths = [e.file_path for e in waiting if e.file_path]
    found = await catalog.episodes_at_paths(session, feed.library_id, paths)
    applied: list[tuple[PodcastFeedEpisode, uuid.UUID]] = []
    podcast_id: uuid.UUID | None = None
    for episode in waiting:
        hit = found.get(episode.file_path or "")
        if hit is None:
            continue
        episode_id, podcast_id = hit
        await catalog.set_episode_details(
            session, episode_id, title=episode.title, description=episode.description,
            published_on=episode.published_at.date() if episode.published_at else None,
        )  # fmt: skip
        await repo.update_episode(session, episode.id, catalogued_at=func.now())
        applied.append((episode, episode_id))
    if podcast_id is not None:
        await catalog.set_show_details(
            session, podcast_id, title=feed.title,
            sort_title=sort_title(feed.title) if feed.title else None,
            author=feed.author, description=feed.description,
        )  # fmt: skip
        await _queue_follow_ups(session, jobs, feed, podcast_id, applied)
    return len(waiting) - len(applied)


async def _queue_follow_ups(
    session: AsyncSession, jobs: JobQueue, feed: PodcastFeed, podcast_id: uuid.UUID,
    applied: list[tuple[PodcastFeedEpisode, uuid.UUID]],
) -> None:  # fmt: skip
    queued: list[QueuedJob] = []
    art = [("podcast", podcast_id, feed.image_url)]
    art += [
        ("podcast_episode", episode_id, e.image_url)
        for e, episode_id in applied
        if e.image_url and e.image_url != feed.image_url
    ]
    for kind, item_id, url in art:
        if url:
            target = ImageTarget(item_id=f"{kind}:{item_id}", item_kind=kind, kind="poster")
            image = DownloadImage(url=url, target=target)
            queued.append(download_image.job(image, image.dedupe_key()))
    items = [IndexedItem(kind="podcast_episode", id=i) for _, i in applied]
    queued.append(index_items.job(IndexItems(library_id=feed.library_id, items=items)))
    await enqueue_many(session, queued)
