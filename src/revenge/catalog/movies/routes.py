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
from revenge.images.models import Image
from revenge.images.repository import item_images
from revenge.images.schemas import ItemImageOut

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
    original_title: str | None
    overview: str | None
    genres: list[str]
    locked_fields: list[str]
    metadata_status: str | None
    images: list[ItemImageOut]
    files: list[FileOut]
    user_state: UserStateOut


def _out(movie: Movie) -> MovieOut:
    return MovieOut.model_validate(movie, from_attributes=True)


def _image_out(kind: str, image: Image) -> ItemImageOut:
    return ItemImageOut(
        id=image.id,
        kind=kind,
        blurhash=image.blurhash,
        dominant_color=image.dominant_color,
        width=image.width,
        height=image.height,
    )


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
    """One movie with its files (versions, parts, extras), streams and images."""
    movie = await repo.get_movie(browse.session, movie_id, browse.allowed)
    if movie is None:
        raise NotFound(f"No movie {movie_id}.")
    files = await browse.files([movie.id])
    states = await browse.states([movie.id])
    images = await item_images(browse.session, "movie", movie.id)
    return MovieDetail(
        **_out(movie).model_dump(),
        original_title=movie.original_title,
        overview=movie.overview,
        genres=list(movie.genres or ()),
        locked_fields=list(movie.locked_fields or ()),
        metadata_status=movie.metadata_status,
        images=[_image_out(kind, image) for kind, image in images],
        files=files.get(movie.id, []),
        user_state=states[movie.id],
    )
