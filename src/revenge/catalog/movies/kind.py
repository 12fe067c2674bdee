"""Movies as a content kind."""

from __future__ import annotations

from revenge.catalog.kinds import ContentKind, ContentModule, lazy
from revenge.catalog.movies import kind_repository as q
from revenge.catalog.movies import models
from revenge.catalog.movies.models import Movie

MOVIE = ContentKind(
    name="movie", model=Movie, reference=q.movie_reference, search=q.MOVIE_SEARCH,
    playable=True, top_level=True, media="video", collection="video",
    editable=("title", "original_title", "overview", "year", "genres"),
    writer=lazy(".metadata_writer:MovieWriter", __package__, build=True),
    identify=lazy(".identify:SPEC", __package__),
    providers=lazy(".providers:MOVIE", __package__),
)  # fmt: skip
MODULE = ContentModule(
    library_type="movie", kinds=(MOVIE,), prefix="/api/v1/movies", tag="movies",
    cataloguer=lazy(".cataloguer:MoviesCataloguer", __package__, build=True),
    routes=lazy(".routes:router", __package__), models=(models,),
)  # fmt: skip
