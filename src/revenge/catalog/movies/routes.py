"""Movies read API."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response
from pydantic import Field

from revenge.api.params import reads_query_as
from revenge.api.written import WrittenJSON
from revenge.catalog.browse_routes import (
    BrowseDep,
    SortedQuery,
    listing,
    sort_field,
    year_field,
)
from revenge.catalog.movies import service
from revenge.catalog.movies.models import Movie
from revenge.catalog.schemas import (
    FeaturedDetail,
    FeaturedOut,
    Page,
    PlayableFlags,
    PlayedOut,
    fetched,
)

router = APIRouter()


class MovieOut(PlayableFlags, FeaturedOut):
    is_3d: bool


class MovieDetail(MovieOut, FeaturedDetail, PlayedOut):
    genres: list[str]


def _out(movie: Movie) -> MovieOut:
    return MovieOut.model_validate(movie, from_attributes=True)


class MovieQuery(SortedQuery):
    SORTS = service.SORTS
    sort: str = sort_field(SORTS, "title")
    genre: str | None = Field(None, max_length=100)
    year: int | None = year_field()
    year_from: int | None = year_field()
    year_to: int | None = year_field()
    played: bool | None = None
    favourite: bool | None = None


@router.get("", response_model=Page[MovieOut])
@reads_query_as(MovieQuery)
async def list_movies(request: Request) -> Response:
    """Movies by title, year, added, rating or runtime; `next_cursor` fetches the next page."""
    async with listing(request, MovieQuery, MovieOut) as (browse, q):
        years = (q.year, q.year) if q.year is not None else (q.year_from, q.year_to)
        found = await service.page(
            browse, q.sort, genre=q.genre, year_from=years[0], year_to=years[1],
            played=q.played, favourite=q.favourite,
        )  # fmt: skip
        return WrittenJSON(browse.listed_as(found))


@router.get("/{movie_id}")
async def get_movie(movie_id: uuid.UUID, browse: BrowseDep) -> MovieDetail:
    """One movie with its files (versions, parts, extras), streams and images."""
    movie = await browse.item("movie", movie_id)
    detail = MovieDetail(
        **_out(movie).model_dump(exclude={"genres"}), **fetched(movie),
        original_title=movie.original_title, overview=movie.overview,
        genres=list(movie.genres or ()), **await browse.about("movie", movie.id),
    )  # fmt: skip
    await browse.flag("movie", [detail])
    return detail
