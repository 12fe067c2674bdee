"""Identifying a movie by hand and editing its metadata (administrators, like Jellyfin/Plex)."""

from __future__ import annotations

from revenge.catalog.identify import IdentifySpec, choice_model, edit_model, metadata_out_model
from revenge.catalog.movies.kind import MOVIE
from revenge.catalog.movies.models import Movie
from revenge.catalog.movies.repository import get_movie
from revenge.metadata.protocols import MovieProvider

EDITABLE = MOVIE.editable

SPEC = IdentifySpec(
    kind="movie",
    model=Movie,
    path="",
    get=get_movie,
    capability=MovieProvider,
    editable=EDITABLE,
    choice=choice_model("MovieChoice", ("tmdb",), "A movie metadata provider."),
    edit=edit_model("MetadataEdit", EDITABLE, 1850),
    out=metadata_out_model("MovieMetadataOut", EDITABLE, ("tmdb_id", "imdb_id")),
)
