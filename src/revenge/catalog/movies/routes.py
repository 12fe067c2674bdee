"""Movies read API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request

from revenge.catalog.browse_routes import BrowseDep, YearFilter
from revenge.catalog.keyset import check_keys
from revenge.catalog.movies import repository as repo
from revenge.catalog.movies.models import Movie
from revenge.catalog.schemas import FileOut, Page, PersonOut, PlayableFlags, UserStateOut
from revenge.images.models import Image
from revenge.images.repository import item_images
from revenge.images.schemas import ItemImageOut

router = APIRouter()


class MovieOut(PlayableFlags):
    id: uuid.UUID
    library_id: uuid.UUID
    title: str
    year: int | None
    is_3d: bool
    tmdb_id: str | None
    imdb_id: str | None
    genres: list[str] | None
    community_rating: float | None
    runtime_minutes: int | None
    created_at: datetime


class MovieDetail(MovieOut):
    original_title: str | None
    overview: str | None
    genres: list[str]
    locked_fields: list[str]
    metadata_status: str | None
    # Why the last fetch ended as it did: a provider down, no API key, no match...
    metadata_reason: str | None = None
    images: list[ItemImageOut]
    people: list[PersonOut]
    files: list[FileOut]
    user_state: UserStateOut


def _out(movie: Movie) -> MovieOut:
    return MovieOut.model_validate(movie, from_attributes=True)


FILTERS = ("genre", "year", "year_from", "year_to", "played", "favourite")


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
    request: Request,
    browse: BrowseDep,
    sort: Annotated[str, Query(json_schema_extra={"enum": list(repo.SORTS)})] = "title",
    genre: Annotated[str | None, Query(max_length=100)] = None,
    year: YearFilter = None,
    year_from: YearFilter = None,
    year_to: YearFilter = None,
    played: bool | None = None,
    favourite: bool | None = None,
) -> Page[MovieOut]:
    """Movies by title, year, added, rating or runtime; `next_cursor` fetches the next page."""
    check_keys(request, sort, repo.SORTS, FILTERS)
    filters = repo.MovieFilters(
        browse.principal.user_id, genre, year if year is not None else year_from,
        year if year is not None else year_to, played, favourite,
    )  # fmt: skip
    movies, total, following = await repo.list_movies(browse.session, browse, sort, filters)
    items = [_out(m) for m in movies]
    await browse.flag("movie", items)
    return browse.page(items, total, following)


@router.get("/{movie_id}")
async def get_movie(movie_id: uuid.UUID, browse: BrowseDep) -> MovieDetail:
    """One movie with its files (versions, parts, extras), streams and images."""
    movie = await browse.one(repo.get_movie, "movie", movie_id)
    files = await browse.files([movie.id])
    states = await browse.states([movie.id])
    images = await item_images(browse.session, "movie", movie.id)
    detail = MovieDetail(
        **_out(movie).model_dump(exclude={"genres"}),
        original_title=movie.original_title,
        overview=movie.overview,
        genres=list(movie.genres or ()),
        locked_fields=list(movie.locked_fields or ()),
        metadata_status=movie.metadata_status,
        metadata_reason=movie.metadata_reason,
        images=[_image_out(kind, image) for kind, image in images],
        people=await browse.people("movie", movie.id),
        files=files.get(movie.id, []),
        user_state=states[movie.id],
    )
    await browse.flag("movie", [detail])
    return detail
