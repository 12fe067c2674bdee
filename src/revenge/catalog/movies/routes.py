"""Movies read API."""

from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel

from revenge.catalog.browse import BrowseDep, sort_param
from revenge.catalog.movies import repository as repo
from revenge.catalog.movies.models import Movie
from revenge.catalog.schemas import FileOut, Page, UserStateOut
from revenge.errors import NotFound

router = APIRouter()


class MovieOut(BaseModel):
    id: uuid.UUID
    library_id: uuid.UUID
    title: str
    year: int | None
    is_3d: bool
    tmdb_id: str | None
    imdb_id: str | None
    created_at: datetime


class MovieDetail(MovieOut):
    overview: str | None
    files: list[FileOut]
    user_state: UserStateOut


def _out(movie: Movie) -> MovieOut:
    return MovieOut.model_validate(movie, from_attributes=True)


@router.get("")
async def list_movies(
    browse: BrowseDep, sort: str = sort_param(repo.SORTS, "title"), year: int | None = None
) -> Page[MovieOut]:
    """Movies, paginated and sorted (title, year, added), optionally of one library."""
    movies, total = await repo.list_movies(
        browse.session, browse.allowed, browse.library_id, sort, browse.descending,
        browse.limit, browse.offset, year,
    )  # fmt: skip
    return Page(
        items=[_out(m) for m in movies], total=total, limit=browse.limit, offset=browse.offset
    )


@router.get("/{movie_id}")
async def get_movie(movie_id: uuid.UUID, browse: BrowseDep) -> MovieDetail:
    """One movie with its files (versions, parts, extras) and their streams."""
    movie = await repo.get_movie(browse.session, movie_id, browse.allowed)
    if movie is None:
        raise NotFound(f"No movie {movie_id}.")
    files = await browse.files([movie.id])
    states = await browse.states([movie.id])
    return MovieDetail(
        **_out(movie).model_dump(),
        overview=movie.overview,
        files=files.get(movie.id, []),
        user_state=states[movie.id],
    )
