"""The lists written straight from their rows (`infra.rows_json`) answer exactly what their
answer models would write: the same bytes, every value as the model types it."""

from __future__ import annotations

import uuid

import httpx
import pytest
from pydantic import BaseModel

from revenge.catalog.movies.routes import MovieOut
from revenge.catalog.music.routes import ArtistOut
from revenge.catalog.podcasts.routes import PodcastOut
from revenge.catalog.schemas import Page
from revenge.catalog.tv.routes import SeriesOut
from revenge.runtime import Runtime
from revenge.testing.seed import (
    add_library,
    add_movie,
    add_podcast_episode,
    add_series,
    execute,
)
from tests.browse.conftest import AS_ADMIN

# Quotes, a backslash, a line break, a control character, accents and a character outside the
# Basic Multilingual Plane: each written as JSON escapes or keeps it.
ODD = 'Amélie\'s "Ünïcödé"\\ \n\t\x01 🎬 終'


async def _full_catalogue(rt: Runtime) -> None:
    """One item of each list with every field set to an awkward value, and one with the
    optional fields empty."""
    movies = await add_library(rt, "movie")
    await add_movie(
        rt, movies, ODD, year=1999, tmdb_id="603", imdb_id="tt0133093", genres=[ODD, "Drama"],
        community_rating=7.3, runtime_minutes=136, is_3d=True,
    )  # fmt: skip
    await add_movie(rt, movies, "Bare", genres=[])
    tv = await add_library(rt, "tv")
    await add_series(
        rt, tv, ODD, year=2008, tmdb_id="1396", imdb_id="tt0903747", tvdb_id="81189",
        genres=["Crime"], community_rating=9.5, runtime_minutes=47,
    )  # fmt: skip
    await add_series(rt, tv, "Bare")
    music = await add_library(rt, "music")
    artist = uuid.uuid4()
    await execute(
        rt, "INSERT INTO artists (id, library_id, group_key, name, sort_name, musicbrainz_id)"
        " VALUES (:i, :l, 'a', :n, :n, 'a74b1b7f-71a5-4011-9441-d0b5e4122711')",
        i=artist, l=music, n=ODD,
    )  # fmt: skip
    await execute(
        rt, "INSERT INTO albums (id, library_id, group_key, title, sort_title, album_artist_id)"
        " VALUES (:i, :l, 'b', 'LP', 'lp', :a)", i=uuid.uuid4(), l=music, a=artist,
    )  # fmt: skip
    podcasts = await add_library(rt, "podcast")
    await add_podcast_episode(rt, podcasts, "Pilot", show=ODD)
    await execute(rt, "UPDATE podcasts SET author = :a", a=ODD)


LISTS: list[tuple[str, type[BaseModel]]] = [
    ("/api/v1/movies", MovieOut),
    ("/api/v1/tv/series", SeriesOut),
    ("/api/v1/music/artists", ArtistOut),
    ("/api/v1/podcasts", PodcastOut),
]


@pytest.mark.parametrize(("url", "model"), LISTS, ids=[u for u, _ in LISTS])
@pytest.mark.parametrize("limit", [1, 50])
async def test_a_list_written_from_rows_answers_what_its_model_writes(
    api: httpx.AsyncClient, clean_runtime: Runtime, url: str, model: type[BaseModel], limit: int
) -> None:
    await _full_catalogue(clean_runtime)
    r = await api.get(url, params={"limit": limit, "sort": "added"}, headers=AS_ADMIN)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json"
    # Validating the answer as the model fails on a wrongly typed value, and writing it again
    # differs from the answer on any value written otherwise than pydantic writes it.
    page = Page[model].model_validate_json(r.content)  # type: ignore[valid-type]
    assert r.content == page.model_dump_json().encode()
    assert page.items, "the list answered no item"
    first = page.items[0].model_dump()
    # The first item added is the full one: every optional field has a value.
    assert None not in first.values(), first
    assert ODD in (first.get("title"), first.get("name"))
    # A full page carries the cursor of the next one.
    assert (page.next_cursor is not None) == (len(page.items) == limit)
