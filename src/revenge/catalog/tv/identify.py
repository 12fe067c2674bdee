"""Identifying a series by hand and editing its metadata (administrators)."""

from __future__ import annotations

from revenge.catalog.identify import identify_spec
from revenge.catalog.tv.kind import SERIES
from revenge.metadata.protocols import TvProvider

SPEC = identify_spec(
    SERIES, TvProvider, ("tmdb", "tvdb"), ("tmdb_id", "tvdb_id", "imdb_id"),
    path="/series", names=("SeriesChoice", "SeriesEdit", "SeriesMetadataOut"),
)  # fmt: skip
