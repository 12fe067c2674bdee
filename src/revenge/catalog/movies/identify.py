"""Identifying a movie by hand and editing its metadata (administrators, like Jellyfin/Plex)."""

from __future__ import annotations

from revenge.catalog.identify import identify_spec
from revenge.catalog.movies.kind import MOVIE
from revenge.metadata.protocols import MovieProvider

SPEC = identify_spec(
    MOVIE, MovieProvider, ("tmdb",), ("tmdb_id", "imdb_id"), path="",
    names=("MovieChoice", "MetadataEdit", "MovieMetadataOut"),
    provider_text="A movie metadata provider.",
)  # fmt: skip
