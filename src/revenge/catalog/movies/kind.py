"""Movies as a content kind."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from revenge.catalog.kinds import ContentKind, ContentModule
from revenge.catalog.movies import kind_repository as q
from revenge.catalog.movies.models import Movie

if TYPE_CHECKING:
    from fastapi import APIRouter

    from revenge.catalog.identify import IdentifySpec
    from revenge.catalog.metadata_fields import KindMetadata
    from revenge.catalog.types import Cataloguer
    from revenge.metadata.kinds import ProviderKind


def _cataloguer() -> Cataloguer:
    from revenge.catalog.movies.cataloguer import MoviesCataloguer

    return MoviesCataloguer()


def _routes() -> Sequence[APIRouter]:
    from revenge.catalog.movies.routes import router

    return (router,)


def _writer() -> KindMetadata:
    from revenge.catalog.movies.metadata_writer import MovieWriter

    return MovieWriter()


def _providers() -> ProviderKind:
    from revenge.catalog.movies.providers import MOVIE

    return MOVIE


def _identify() -> IdentifySpec:
    from revenge.catalog.movies.identify import SPEC

    return SPEC


MOVIE = ContentKind(
    name="movie", model=Movie, reference=q.movie_reference, search=q.MOVIE_SEARCH,
    playable=True, top_level=True, media="video", collection="video",
    editable=("title", "original_title", "overview", "year", "genres"),
    writer=_writer, identify=_identify, providers=_providers,
)  # fmt: skip
MODULE = ContentModule(
    library_type="movie", kinds=(MOVIE,), cataloguer=_cataloguer, routes=_routes,
    prefix="/api/v1/movies", tag="movies", models=("revenge.catalog.movies.models",),
)  # fmt: skip
