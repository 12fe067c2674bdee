"""Podcasts and their episodes as content kinds."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from revenge.catalog.kinds import ContentKind, ContentModule
from revenge.catalog.podcasts import kind_repository as q
from revenge.catalog.podcasts.models import Podcast, PodcastEpisode

if TYPE_CHECKING:
    from fastapi import APIRouter

    from revenge.catalog.types import Cataloguer


def _cataloguer() -> Cataloguer:
    from revenge.catalog.podcasts.cataloguer import PodcastsCataloguer

    return PodcastsCataloguer()


def _routes() -> Sequence[APIRouter]:
    from revenge.catalog.podcasts.routes import router

    return (router,)


PODCAST = ContentKind(name="podcast", model=Podcast, search=q.PODCAST_SEARCH, top_level=True)
EPISODE = ContentKind(
    name="podcast_episode", model=PodcastEpisode, reference=q.episode_reference,
    search=q.EPISODE_SEARCH, playable=True, media="audio",
)  # fmt: skip
MODULE = ContentModule(
    library_type="podcast", kinds=(PODCAST, EPISODE), cataloguer=_cataloguer, routes=_routes,
    prefix="/api/v1/podcasts", tag="podcasts", models=("revenge.catalog.podcasts.models",),
)  # fmt: skip
