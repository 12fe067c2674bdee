"""TV series, seasons and episodes as content kinds."""

from __future__ import annotations

from revenge.catalog.kinds import ContentKind, ContentModule, lazy
from revenge.catalog.tv import kind_repository as q
from revenge.catalog.tv import models
from revenge.catalog.tv.models import Episode, Season, Series

SERIES = ContentKind(
    name="series", model=Series, reference=q.series_reference, search=q.SERIES_SEARCH,
    top_level=True, collection="video",
    editable=("title", "original_title", "overview", "year", "genres"),
    writer=lazy(".metadata_writer:SeriesWriter", __package__, build=True),
    identify=lazy(".identify:SPEC", __package__),
    providers=lazy(".providers:SERIES", __package__),
)  # fmt: skip
SEASON = ContentKind(name="season", model=Season)
EPISODE = ContentKind(
    name="episode", model=Episode, reference=q.episode_reference, search=q.EPISODE_SEARCH,
    playable=True, media="video", collection="video",
    writer=lazy(".metadata_writer:EpisodeWriter", __package__, build=True),
    providers=lazy(".providers:EPISODE", __package__),
)  # fmt: skip
MODULE = ContentModule(
    library_type="tv", kinds=(SERIES, SEASON, EPISODE), prefix="/api/v1/tv", tag="tv",
    cataloguer=lazy(".cataloguer:TvCataloguer", __package__, build=True),
    routes=lazy(".routes:router", __package__), models=(models,),
)  # fmt: skip
