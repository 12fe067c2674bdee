"""TV series, seasons and episodes as content kinds."""

from __future__ import annotations

from revenge.catalog.kinds import ContentKind, content_module, declared
from revenge.catalog.tv import kind_repository as q
from revenge.catalog.tv.models import Episode, Season, Series

SERIES = ContentKind(
    name="series", model=Series, reference=q.series_reference, search=q.SERIES_SEARCH,
    top_level=True, collection="video",
    editable=("title", "original_title", "overview", "year", "genres"),
    **declared(__package__, writer="SeriesWriter", identify=True, providers="SERIES"),
)  # fmt: skip
SEASON = ContentKind(name="season", model=Season)
EPISODE = ContentKind(
    name="episode", model=Episode, reference=q.episode_reference, search=q.EPISODE_SEARCH,
    playable=True, media="video", collection="video",
    **declared(__package__, writer="EpisodeWriter", providers="EPISODE"),
)  # fmt: skip
MODULE = content_module(
    __package__, "tv", (SERIES, SEASON, EPISODE), tag="tv", cataloguer="TvCataloguer"
)
