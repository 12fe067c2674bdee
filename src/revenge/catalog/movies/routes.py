"""Movies read API."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from revenge.catalog.browse_routes import BrowseDep, YearFilter, sort_query
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


FILTERS = ("genre", "year", "year_from", "year_to", "played", "favourite")


@router.get("")
async def list_movies(
    browse: BrowseDep,
    sort: Annotated[str, sort_query(service.SORTS, "title", FILTERS)],
    genre: Annotated[str | None, Query(max_length=100)] = None,
    year: YearFilter = None,
    year_from: YearFilter = None,
    year_to: YearFilter = None,
    played: bool | None = None,
    favourite: bool | None = None,
) -> Page[MovieOut]:
    """Movies by title, year, added, rating or runtime; `next_cursor` fetches the next page."""
    found = await service.page(
        browse, sort, genre=genre, year_from=year if year is not None else year_from,
        year_to=year if year is not None else year_to, played=played, favourite=favourite,
    )  # fmt: skip
    return browse.listed_as(found, MovieOut)


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
