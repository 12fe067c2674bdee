"""Podcasts and their episodes as content kinds."""

from __future__ import annotations

from revenge.catalog.kinds import ContentKind, content_module
from revenge.catalog.podcasts import kind_repository as q
from revenge.catalog.podcasts.models import Podcast, PodcastEpisode

PODCAST = ContentKind(name="podcast", model=Podcast, search=q.PODCAST_SEARCH, top_level=True)
EPISODE = ContentKind(
    name="podcast_episode", model=PodcastEpisode, reference=q.episode_reference,
    search=q.EPISODE_SEARCH, playable=True, media="audio",
)  # fmt: skip
MODULE = content_module(
    __package__, "podcast", (PODCAST, EPISODE), tag="podcasts", cataloguer="PodcastsCataloguer"
)
