"""SQL the shared features read series and episodes with: references and search documents."""

from __future__ import annotations

from typing import Any

from sqlalchemy import null, select

from revenge.catalog.kinds import SearchSource
from revenge.catalog.people.repository import credited_names
from revenge.catalog.tv.models import Episode, Series


def series_reference() -> Any:
    return select(Series.id, Series.library_id, Series.title, null(), Series.year)


def episode_reference() -> Any:
    return select(Episode.id, Episode.library_id, Episode.title, Series.title, Series.year).join(
        Series, Series.id == Episode.series_id
    )


SERIES_SEARCH = SearchSource(
    f"""SELECT id, library_id, title, original_title, sort_title, NULL,
        {credited_names("series")}, year, overview, genres FROM series m"""
)
EPISODE_SEARCH = SearchSource(
    f"""SELECT m.id, m.library_id, m.title, NULL, NULL, s.title,
        {credited_names("episode")}, extract(year FROM m.air_date)::int, m.overview, NULL
        FROM episodes m JOIN series s ON s.id = m.series_id""",
    parents=(("series", "SELECT DISTINCT series_id FROM episodes WHERE id IN :ids"),),
)
