"""TV series, seasons and episodes as content kinds."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from revenge.catalog.kinds import ContentKind, ContentModule
from revenge.catalog.tv import kind_repository as q
from revenge.catalog.tv.models import Episode, Season, Series

if TYPE_CHECKING:
    from fastapi import APIRouter

    from revenge.catalog.identify import IdentifySpec
    from revenge.catalog.metadata_fields import KindMetadata
    from revenge.catalog.types import Cataloguer
    from revenge.metadata.kinds import ProviderKind


def _cataloguer() -> Cataloguer:
    from revenge.catalog.tv.cataloguer import TvCataloguer

    return TvCataloguer()


def _routes() -> Sequence[APIRouter]:
    from revenge.catalog.tv.routes import router

    return (router,)


def _series_writer() -> KindMetadata:
    from revenge.catalog.tv.metadata_writer import SeriesWriter

    return SeriesWriter()


def _episode_writer() -> KindMetadata:
    from revenge.catalog.tv.metadata_writer import EpisodeWriter

    return EpisodeWriter()


def _series_providers() -> ProviderKind:
    from revenge.catalog.tv.providers import SERIES

    return SERIES


def _episode_providers() -> ProviderKind:
    from revenge.catalog.tv.providers import EPISODE

    return EPISODE


def _identify() -> IdentifySpec:
    from revenge.catalog.tv.identify import SPEC

    return SPEC


SERIES = ContentKind(
    name="series", model=Series, reference=q.series_reference, search=q.SERIES_SEARCH,
    top_level=True, collection="video",
    editable=("title", "original_title", "overview", "year", "genres"),
    writer=_series_writer, identify=_identify, providers=_series_providers,
)  # fmt: skip
SEASON = ContentKind(name="season", model=Season)
EPISODE = ContentKind(
    name="episode", model=Episode, reference=q.episode_reference, search=q.EPISODE_SEARCH,
    playable=True, media="video", collection="video",
    writer=_episode_writer, providers=_episode_providers,
)  # fmt: skip
MODULE = ContentModule(
    library_type="tv", kinds=(SERIES, SEASON, EPISODE), cataloguer=_cataloguer, routes=_routes,
    prefix="/api/v1/tv", tag="tv", models=("revenge.catalog.tv.models",),
)  # fmt: skip
