"""TV read API: series, their seasons, a season's episodes, one episode."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request

from revenge.catalog.browse_routes import BrowseDep, YearFilter
from revenge.catalog.keyset import check_keys
from revenge.catalog.schemas import (
    FileOut,
    Page,
    PersonOut,
    PlayableFlags,
    UnplayedCount,
    UserStateOut,
)
from revenge.catalog.tv import repository as repo
from revenge.catalog.tv.models import Episode
from revenge.images.schemas import ItemImageOut

router = APIRouter()


class SeriesOut(UnplayedCount):
    id: uuid.UUID
    library_id: uuid.UUID
    title: str
    year: int | None
    tvdb_id: str | None
    tmdb_id: str | None
    imdb_id: str | None
    genres: list[str] | None
    community_rating: float | None
    runtime_minutes: int | None
    created_at: datetime


class SeasonOut(UnplayedCount):
    id: uuid.UUID
    number: int
    title: str | None
    episode_count: int


class SeriesDetail(SeriesOut):
    original_title: str | None
    overview: str | None
    locked_fields: list[str]
    metadata_status: str | None
    metadata_reason: str | None = None
    images: list[ItemImageOut]
    people: list[PersonOut]
    seasons: list[SeasonOut]
    extras: list[FileOut]


class EpisodeOut(PlayableFlags):
    id: uuid.UUID
    series_id: uuid.UUID
    season_id: uuid.UUID
    season_number: int
    number: int | None
    ending_number: int | None
    absolute_number: int | None
    air_date: date | None
    title: str


class EpisodeDetail(EpisodeOut):
    overview: str | None
    community_rating: float | None
    runtime_minutes: int | None
    metadata_status: str | None
    metadata_reason: str | None = None
    images: list[ItemImageOut]
    people: list[PersonOut]
    files: list[FileOut]
    user_state: UserStateOut


def _episode(e: Episode) -> EpisodeOut:
    return EpisodeOut.model_validate(e, from_attributes=True)


SERIES_FILTERS = ("year_from", "year_to", "played")


@router.get("/series")
async def list_series(
    request: Request,
    browse: BrowseDep,
    sort: Annotated[str, Query(json_schema_extra={"enum": list(repo.SERIES_SORTS)})] = "title",
    year_from: YearFilter = None,
    year_to: YearFilter = None,
    played: bool | None = None,
) -> Page[SeriesOut]:
    """Series by title, year, added, rating or runtime; `next_cursor` fetches the next page."""
    check_keys(request, sort, repo.SERIES_SORTS, SERIES_FILTERS)
    filters = repo.SeriesFilters(browse.principal.user_id, year_from, year_to, played)
    found, total, following = await repo.list_series(browse.session, browse, sort, filters)
    items = [SeriesOut.model_validate(s, from_attributes=True) for s in found]
    await browse.count_unplayed("series", items)
    return browse.page(items, total, following)


@router.get("/series/{series_id}")
async def get_series(series_id: uuid.UUID, browse: BrowseDep) -> SeriesDetail:
    """A series with its seasons (specials are season 0) and its extras."""
    series = await browse.one(repo.get_series, "series", series_id)
    seasons = [
        SeasonOut(id=s.id, number=s.number, title=s.title, episode_count=n)
        for s, n in await repo.seasons_of(browse.session, series_id)
    ]
    extras = (await browse.files([series_id])).get(series_id, [])
    await browse.count_unplayed("season", seasons)
    detail = SeriesDetail(
        **SeriesOut.model_validate(series, from_attributes=True).model_dump(),
        original_title=series.original_title,
        overview=series.overview,
        locked_fields=list(series.locked_fields or ()),
        metadata_status=series.metadata_status,
        metadata_reason=series.metadata_reason,
        images=await browse.images("series", series.id),
        people=await browse.people("series", series.id),
        seasons=seasons,
        extras=extras,
    )
    await browse.count_unplayed("series", [detail])
    return detail


@router.get("/seasons/{season_id}/episodes")
async def season_episodes(season_id: uuid.UUID, browse: BrowseDep) -> list[EpisodeOut]:
    await browse.one(repo.get_season, "season", season_id)
    episodes = [_episode(e) for e in await repo.episodes_of(browse.session, season_id)]
    await browse.flag("episode", episodes)
    return episodes


@router.get("/episodes/{episode_id}")
async def get_episode(episode_id: uuid.UUID, browse: BrowseDep) -> EpisodeDetail:
    episode = await browse.one(repo.get_episode, "episode", episode_id)
    files = await browse.files([episode.id])
    states = await browse.states([episode.id])
    detail = EpisodeDetail(
        **_episode(episode).model_dump(),
        overview=episode.overview,
        community_rating=episode.community_rating,
        runtime_minutes=episode.runtime_minutes,
        metadata_status=episode.metadata_status,
        metadata_reason=episode.metadata_reason,
        images=await browse.images("episode", episode.id),
        people=await browse.people("episode", episode.id),
        files=files.get(episode.id, []),
        user_state=states[episode.id],
    )
    await browse.flag("episode", [detail])
    return detail
