"""TV read API: series, their seasons, a season's episodes, one episode."""

from __future__ import annotations

import uuid
from datetime import date

from fastapi import APIRouter, Request, Response

from revenge.api.params import reads_query_as
from revenge.api.written import WrittenJSON
from revenge.catalog.browse_routes import (
    BrowseDep,
    SortedQuery,
    listing,
    sort_field,
    year_field,
)
from revenge.catalog.schemas import (
    Credited,
    FeaturedDetail,
    FeaturedOut,
    FetchedOut,
    FileOut,
    Page,
    PlayableFlags,
    PlayedOut,
    UnplayedCount,
    fetched,
)
from revenge.catalog.tv import service
from revenge.catalog.tv.models import Episode, Series

router = APIRouter()


class SeriesOut(UnplayedCount, FeaturedOut):
    tvdb_id: str | None


class SeasonOut(UnplayedCount):
    id: uuid.UUID
    number: int
    title: str | None
    episode_count: int


class SeriesDetail(SeriesOut, FeaturedDetail):
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


class EpisodeDetail(EpisodeOut, FetchedOut, Credited, PlayedOut):
    overview: str | None
    community_rating: float | None
    runtime_minutes: int | None


def _series(s: Series) -> SeriesOut:
    return SeriesOut.model_validate(s, from_attributes=True)


def _episode(e: Episode) -> EpisodeOut:
    return EpisodeOut.model_validate(e, from_attributes=True)


class SeriesQuery(SortedQuery):
    SORTS = service.SORTS
    sort: str = sort_field(SORTS, "title")
    year_from: int | None = year_field()
    year_to: int | None = year_field()
    played: bool | None = None


@router.get("/series", response_model=Page[SeriesOut])
@reads_query_as(SeriesQuery)
async def list_series(request: Request) -> Response:
    """Series by title, year, added, rating or runtime; `next_cursor` fetches the next page."""
    async with listing(request, SeriesQuery, SeriesOut) as (browse, q):
        found = await service.page(
            browse, q.sort, year_from=q.year_from, year_to=q.year_to, played=q.played
        )
        return WrittenJSON(browse.listed_as(found))


@router.get("/series/{series_id}")
async def get_series(series_id: uuid.UUID, browse: BrowseDep) -> SeriesDetail:
    """A series with its seasons (specials are season 0) and its extras."""
    series = await browse.item("series", series_id)
    seasons = [
        SeasonOut(id=s.id, number=s.number, title=s.title, episode_count=n)
        for s, n in await service.seasons(browse.session, series_id)
    ]
    extras = (await browse.files([series_id])).get(series_id, [])
    await browse.count_unplayed("season", seasons)
    detail = SeriesDetail(
        **_series(series).model_dump(), **fetched(series),
        original_title=series.original_title, overview=series.overview, seasons=seasons,
        extras=extras, **await browse.about("series", series.id, played=False),
    )  # fmt: skip
    await browse.count_unplayed("series", [detail])
    return detail


@router.get("/seasons/{season_id}/episodes")
async def season_episodes(season_id: uuid.UUID, browse: BrowseDep) -> list[EpisodeOut]:
    await browse.item("season", season_id)
    episodes = [_episode(e) for e in await service.episodes(browse.session, season_id)]
    await browse.flag("episode", episodes)
    return episodes


@router.get("/episodes/{episode_id}")
async def get_episode(episode_id: uuid.UUID, browse: BrowseDep) -> EpisodeDetail:
    episode = await browse.item("episode", episode_id)
    detail = EpisodeDetail(
        **_episode(episode).model_dump(), **fetched(episode), overview=episode.overview,
        community_rating=episode.community_rating, runtime_minutes=episode.runtime_minutes,
        **await browse.about("episode", episode.id),
    )  # fmt: skip
    await browse.flag("episode", [detail])
    return detail
