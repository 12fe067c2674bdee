"""Podcasts read API."""

from __future__ import annotations

import uuid
from datetime import date

from fastapi import APIRouter, Request, Response

from revenge.api.params import reads_query_as
from revenge.api.written import WrittenJSON
from revenge.catalog.browse_routes import BrowseDep, SortedQuery, listing, sort_field
from revenge.catalog.podcasts import service
from revenge.catalog.podcasts.models import PodcastEpisode
from revenge.catalog.schemas import (
    Illustrated,
    InLibrary,
    Page,
    PlayableFlags,
    PlayedOut,
    UnplayedCount,
)

router = APIRouter()


class PodcastOut(InLibrary, UnplayedCount):
    title: str
    author: str | None
    episode_count: int


class PodcastDetail(PodcastOut, Illustrated):
    description: str | None


class PodcastEpisodeOut(PlayableFlags):
    id: uuid.UUID
    podcast_id: uuid.UUID
    title: str
    episode_number: int | None
    published_on: date | None
    duration_seconds: float | None


class PodcastEpisodeDetail(PodcastEpisodeOut, Illustrated, PlayedOut):
    description: str | None


def _episode(e: PodcastEpisode) -> PodcastEpisodeOut:
    return PodcastEpisodeOut.model_validate(e, from_attributes=True)


class PodcastQuery(SortedQuery):
    SORTS = service.SORTS
    sort: str = sort_field(SORTS, "title")


@router.get("", response_model=Page[PodcastOut])
@reads_query_as(PodcastQuery)
async def list_podcasts(request: Request) -> Response:
    """Podcasts by title or added; `next_cursor` fetches the next page."""
    async with listing(request, PodcastQuery, PodcastOut) as (browse, q):
        return WrittenJSON(browse.listed_as(await service.page(browse, q.sort)))


@router.get("/{podcast_id}")
async def get_podcast(podcast_id: uuid.UUID, browse: BrowseDep) -> PodcastDetail:
    """One podcast (show) with its episode count and description."""
    podcast, count = await browse.one(service.with_count, "podcast", podcast_id)
    return PodcastDetail(
        id=podcast.id, library_id=podcast.library_id, title=podcast.title, author=podcast.author,
        episode_count=count, description=podcast.description,
        **await browse.about("podcast", podcast.id, people=False, played=False),
    )  # fmt: skip


@router.get("/{podcast_id}/episodes")
async def podcast_episodes(
    request: Request, podcast_id: uuid.UUID, browse: BrowseDep
) -> Page[PodcastEpisodeOut]:
    """A podcast's episodes by publication date: `order=asc` oldest first, `order=desc`
    newest first; without `order`, newest first (as podcast apps list them)."""
    await browse.item("podcast", podcast_id)
    descending = "order" not in request.query_params or browse.descending
    found, total = await service.episodes(browse, podcast_id, descending)
    items = [_episode(e) for e in found]
    await browse.flag("podcast_episode", items)
    return browse.page(items, total)


@router.get("/episodes/{episode_id}")
async def get_episode(episode_id: uuid.UUID, browse: BrowseDep) -> PodcastEpisodeDetail:
    episode = await browse.item("podcast_episode", episode_id)
    detail = PodcastEpisodeDetail(
        **_episode(episode).model_dump(), description=episode.description,
        **await browse.about("podcast_episode", episode.id, people=False),
    )  # fmt: skip
    await browse.flag("podcast_episode", [detail])
    return detail
