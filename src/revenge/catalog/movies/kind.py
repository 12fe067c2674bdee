"""Movies as a content kind."""

from __future__ import annotations

from revenge.catalog.kinds import ContentKind, content_module, declared
from revenge.catalog.movies import kind_repository as q
from revenge.catalog.movies.models import Movie

MOVIE = ContentKind(
    name="movie", model=Movie, reference=q.movie_reference, search=q.MOVIE_SEARCH,
    playable=True, top_level=True, media="video", collection="video",
    editable=("title", "original_title", "overview", "year", "genres"),
    **declared(__package__, writer="MovieWriter", identify=True, providers="MOVIE"),
)  # fmt: skip
MODULE = content_module(__package__, "movie", (MOVIE,), tag="movies", cataloguer="MoviesCataloguer")
