"""SQL the shared features read movies with: references and search documents."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from revenge.catalog.kinds import SearchSource
from revenge.catalog.movies.models import Movie
from revenge.catalog.people.repository import credited_names


def movie_reference() -> Any:
    return select(Movie.id, Movie.library_id, Movie.title, Movie.original_title, Movie.year)


MOVIE_SEARCH = SearchSource(
    f"""SELECT id, library_id, title, original_title, sort_title, NULL,
        {credited_names("movie")}, year, overview, genres FROM movies m"""
)
