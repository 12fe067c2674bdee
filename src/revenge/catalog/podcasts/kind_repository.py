"""SQL the shared features read podcasts and their episodes with."""

from __future__ import annotations

from typing import Any

from sqlalchemy import null, select

from revenge.catalog.kinds import SearchSource
from revenge.catalog.podcasts.models import Podcast, PodcastEpisode


def episode_reference() -> Any:
    return select(
        PodcastEpisode.id, PodcastEpisode.library_id, PodcastEpisode.title, Podcast.title,
        null(),
    ).join(Podcast, Podcast.id == PodcastEpisode.podcast_id)  # fmt: skip


PODCAST_SEARCH = SearchSource(
    """SELECT id, library_id, title, NULL, sort_title, author, NULL, NULL,
       description, NULL FROM podcasts m"""
)
EPISODE_SEARCH = SearchSource(
    """SELECT m.id, m.library_id, m.title, NULL, NULL, p.title, NULL,
       extract(year FROM m.published_on)::int, m.description, NULL
       FROM podcast_episodes m JOIN podcasts p ON p.id = m.podcast_id""",
    parents=(("podcast", "SELECT DISTINCT podcast_id FROM podcast_episodes WHERE id IN :ids"),),
)
