"""Podcasts and their episodes as content kinds."""

from __future__ import annotations

from revenge.catalog.kinds import ContentKind, ContentModule, lazy
from revenge.catalog.podcasts import kind_repository as q
from revenge.catalog.podcasts import models
from revenge.catalog.podcasts.models import Podcast, PodcastEpisode

PODCAST = ContentKind(name="podcast", model=Podcast, search=q.PODCAST_SEARCH, top_level=True)
EPISODE = ContentKind(
    name="podcast_episode", model=PodcastEpisode, reference=q.episode_reference,
    search=q.EPISODE_SEARCH, playable=True, media="audio",
)  # fmt: skip
MODULE = ContentModule(
    library_type="podcast", kinds=(PODCAST, EPISODE), prefix="/api/v1/podcasts",
    tag="podcasts",
    cataloguer=lazy(".cataloguer:PodcastsCataloguer", __package__, build=True),
    routes=lazy(".routes:router", __package__), models=(models,),
)  # fmt: skip
