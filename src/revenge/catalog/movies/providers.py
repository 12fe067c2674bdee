"""How metadata providers search for and describe a movie."""

from __future__ import annotations

from revenge.metadata.kinds import ProviderKind
from revenge.metadata.protocols import MovieProvider

MOVIE = ProviderKind(
    "movie", "movie", MovieProvider,
    search=lambda p, facts, title, year, lang: p.search_movie(title, year, lang),
    details=lambda p, facts, pid, lang: p.movie_details(pid, lang),
)  # fmt: skip
