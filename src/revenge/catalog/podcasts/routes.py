"""Podcasts read API."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request

from revenge.catalog.browse_routes import BrowseDep
from revenge.catalog.keyset import check_keys
from revenge.catalog.podcasts import repository as repo
from revenge.catalog.podcasts.models import Podcast, PodcastEpisode
from revenge.catalog.schemas import FileOut, Page, PlayableFlags, UnplayedCount, UserStateOut
from revenge.images.schemas import ItemImageOut

router = APIRouter()


class PodcastOut(UnplayedCount):
    id: uuid.UUID
    library_id: uuid.UUID
    title: str
    author: str | None
    episode_count: int


class PodcastDetail(PodcastOut):
    description: str | None
    images: list[ItemImageOut]


class PodcastEpisodeOut(PlayableFlags):
    id: uuid.UUID
    podcast_id: uuid.UUID
    title: str
    episode_number: int | None
    published_on: date | None
    duration_seconds: float | None


class PodcastEpisodeDetail(PodcastEpisodeOut):
    description: str | None
    images: list[ItemImageOut]
    files: list[FileOut]
    user_state: UserStateOut


def _podcast(p: Podcast, count: int) -> PodcastOut:
    return PodcastOut(
        id=p.id, library_id=p.library_id, title=p.title, author=p.author, episode_count=count
    )


def _episode(e: PodcastEpisode) -> PodcastEpisodeOut:
    return PodcastEpisodeOut.model_validate(e, from_attributes=True)


FILTERS: tuple[str, ...] = ()


@router.get("")
async def list_podcasts(
    request: Request,
    browse: BrowseDep,
    sort: Annotated[str, Query(json_schema_extra={"enum": list(repo.SORTS)})] = "title",
) -> Page[PodcastOut]:
    """Podcasts by title or added; `next_cursor` fetches the next page."""
    check_keys(request, sort, repo.SORTS, FILTERS)
    found, total, following = await repo.list_podcasts(browse.session, browse, sort)
    items = [_podcast(p, n) for p, n in found]
    await browse.count_unplayed("podcast", items)
    return browse.page(items, total, following)


@router.get("/{podcast_id}")
async def get_podcast(podcast_id: uuid.UUID, browse: BrowseDep) -> PodcastDetail:
    """One podcast (show) with its episode count and description."""
    found = await browse.one(repo.get_podcast_with_count, "podcast", podcast_id)
    podcast, count = found
    return PodcastDetail(
        **_podcast(podcast, count).model_dump(),
        description=podcast.description,
        images=await browse.images("podcast", podcast.id),
    )


@router.get("/{podcast_id}/episodes")
async def podcast_episodes(
    request: Request, podcast_id: uuid.UUID, browse: BrowseDep
) -> Page[PodcastEpisodeOut]:
    """A podcast's episodes by publication date: `order=asc` oldest first, `order=desc`
    newest first; without `order`, newest first (as podcast apps list them)."""
    await browse.one(repo.get_podcast, "podcast", podcast_id)
    descending = "order" not in request.query_params or browse.descending
    found, total = await repo.episodes_of(
        browse.session, podcast_id, browse.limit, browse.offset, descending=descending
    )
    items = [_episode(e) for e in found]
    await browse.flag("podcast_episode", items)
    return browse.page(items, total)


@router.get("/episodes/{episode_id}")
async def get_episode(episode_id: uuid.UUID, browse: BrowseDep) -> PodcastEpisodeDetail:
    episode = await browse.one(repo.get_episode, "podcast episode", episode_id)
    files = await browse.files([episode.id])
    states = await browse.states([episode.id])
    detail = PodcastEpisodeDetail(
        **_episode(episode).model_dump(),
        description=episode.description,
        images=await browse.images("podcast_episode", episode.id),
        files=files.get(episode.id, []),
        user_state=states[episode.id],
    )
    await browse.flag("podcast_episode", [detail])
    return detail
