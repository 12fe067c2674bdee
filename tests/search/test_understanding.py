"""Search finds what people mean: typos of real words, punctuation, articles, years,
sequel and number spellings, entities before their parts; and every kind is searchable."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from revenge.infra.jobs.context import JobContext
from revenge.runtime import Runtime
from revenge.search.jobs import index as index_job
from revenge.testing.auth import USER
from revenge.testing.seed import (
    add_episode,
    add_library,
    add_movie,
    add_podcast_episode,
    add_series,
    add_track,
    execute,
)
from tests.libraries.conftest import LibraryMaker, Scanner, make_library, scan
from tests.playlists.conftest import AS_ADMIN, AS_USER
from tests.support.media import make_audio

__all__ = ["make_library", "scan"]

URL = "/api/v1/search"
ACDC = uuid.uuid4()
NO_ID = uuid.UUID(int=0)
MOVIES = [
    ("Forrest Gump", 1994), ("The Forest", 2016), ("Black Panther", 2018),
    ("Blackley Road", 2001), ("The King's Speech", 2010), ("King Kong", 1933),
    ("Spider-Man", 2002), ("Spider-Man 2", 2004), ("K-19: The Widowmaker", 2002),
    ("Cul-de-sac", 1966), ("The Killing", 1956), ("Killing Them Softly", 2012),
    ("Alien", 1979), ("Aliens", 1986), ("Alien 3", 1992), ("Alien", 2030),
    ("The Godfather", 1972), ("The Godfather Part II", 1974), ("The Godfather Part III", 1990),
    ("12 Angry Men", 1957), ("Ocean's Eleven", 2001), ("Ocean's Twelve", 2004),
    ("Rocky", 1976), ("Rocky IV", 1985), ("Time Out", 2001), ("Out of Time", 2003),
    ("Star Wars", 1977), ("Star Wars: The Empire Strikes Back", 1980),
    ("千と千尋の神隠し", 2001), ("Amélie", 2001),
]  # fmt: skip


@dataclass
class Catalogue:
    ids: dict[str, uuid.UUID] = field(default_factory=dict)
    private: uuid.UUID = NO_ID


@pytest.fixture
async def catalogue(api: object, clean_runtime: Runtime) -> Catalogue:
    rt = clean_runtime
    found = Catalogue()
    movies = await add_library(rt, "movie", grant=(USER.user_id,))
    found.private = await add_library(rt, "movie")
    for title, year in MOVIES:
        found.ids[f"{title} {year}"] = await add_movie(rt, movies, title, year=year)
    await add_movie(rt, found.private, "Forrest Gump Returns", year=2020)
    music = await add_library(rt, "music", grant=(USER.user_id,))
    track = await add_track(rt, music, "Back in Black", artist="AC/DC", album="Back in Black")
    await execute(
        rt, "INSERT INTO artists (id, library_id, group_key, name, sort_name)"
        " VALUES (:a, :l, 'acdc', 'AC/DC', 'ac/dc')", a=ACDC, l=music,
    )  # fmt: skip
    await execute(rt, "UPDATE tracks SET artist_id = :a WHERE id = :t", a=ACDC, t=track)
    await execute(rt, "UPDATE albums SET album_artist_id = :a", a=ACDC)
    tv = await add_library(rt, "tv", grant=(USER.user_id,))
    series = await add_series(rt, tv, "Breaking Bad", year=2008)
    found.ids["Breaking Bad"] = series
    await add_episode(rt, tv, series, 1, 1, "Breaking Bad")
    await add_episode(rt, tv, series, 1, 2, "Cat's in the Bag...")
    await index_job(JobContext(rt, 0, "search.index", 1), {"rebuild": True})
    return found


async def _search(api: httpx.AsyncClient, q: str, **params: Any) -> list[dict[str, Any]]:
    r = await api.get(URL, params={"q": q, **params}, headers=AS_USER)
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


async def _first(api: httpx.AsyncClient, q: str, **params: Any) -> tuple[str, int | None]:
    items = await _search(api, q, **params)
    assert items, f"nothing found for {q!r}"
    return items[0]["title"], items[0]["year"]


async def test_typos_of_real_words_and_of_prefixes(
    api: httpx.AsyncClient, catalogue: Catalogue
) -> None:
    # "forest" is a real word, "blackl" the start of another: both are still corrected.
    assert await _first(api, "forest gump") == ("Forrest Gump", 1994)
    assert await _first(api, "blackl panther") == ("Black Panther", 2018)
    assert await _first(api, "forest") == ("The Forest", 2016)  # the word itself first
    assert await _first(api, "godfahter") == ("The Godfather", 1972)  # one letter swapped
    assert await _first(api, "godfahtr part ii") == ("The Godfather Part II", 1974)  # two


async def test_typo_results_are_ranked_by_closeness(
    api: httpx.AsyncClient, catalogue: Catalogue
) -> None:
    items = await _search(api, "alein", types="movie")
    scores = [i["score"] for i in items]
    assert items[0]["title"] == "Alien" and len(set(scores)) > 1
    assert scores == sorted(scores, reverse=True) and scores[0] < 1.0
    exact = await _search(api, "alien")
    assert exact[0]["title"] == "Alien" and exact[0]["score"] == 1.0


async def test_punctuation_both_ways(api: httpx.AsyncClient, catalogue: Catalogue) -> None:
    assert await _first(api, "kings speech") == ("The King's Speech", 2010)
    assert await _first(api, "king's speech") == ("The King's Speech", 2010)
    assert await _first(api, "spiderman") == ("Spider-Man", 2002)
    assert await _first(api, "spider man") == ("Spider-Man", 2002)
    assert await _first(api, "spiderman 2") == ("Spider-Man 2", 2004)
    assert await _first(api, "culdesac") == ("Cul-de-sac", 1966)
    assert await _first(api, "k19") == ("K-19: The Widowmaker", 2002)
    acdc = await _search(api, "acdc")
    assert (acdc[0]["type"], acdc[0]["title"]) == ("artist", "AC/DC")


async def test_leading_article_is_optional(api: httpx.AsyncClient, catalogue: Catalogue) -> None:
    assert await _first(api, "killing") == ("The Killing", 1956)
    assert await _first(api, "the killing") == ("The Killing", 1956)
    assert await _first(api, "godfather") == ("The Godfather", 1972)


async def test_words_swapped_and_in_order(api: httpx.AsyncClient, catalogue: Catalogue) -> None:
    assert await _first(api, "gump forrest") == ("Forrest Gump", 1994)
    assert await _first(api, "time out") == ("Time Out", 2001)
    assert await _first(api, "out of time") == ("Out of Time", 2003)


async def test_year_is_metadata(api: httpx.AsyncClient, catalogue: Catalogue) -> None:
    assert await _first(api, "alien 1979") == ("Alien", 1979)
    assert await _first(api, "alien 2030") == ("Alien", 2030)
    assert await _first(api, "aliens 1986") == ("Aliens", 1986)


async def test_sequels_and_numbers_in_any_spelling(
    api: httpx.AsyncClient, catalogue: Catalogue
) -> None:
    assert await _first(api, "godfather 2") == ("The Godfather Part II", 1974)
    assert await _first(api, "godfather part 3") == ("The Godfather Part III", 1990)
    assert await _first(api, "rocky 4") == ("Rocky IV", 1985)
    assert await _first(api, "rocky four") == ("Rocky IV", 1985)
    assert await _first(api, "alien iii") == ("Alien 3", 1992)
    assert await _first(api, "twelve angry men") == ("12 Angry Men", 1957)
    assert await _first(api, "12 angry men") == ("12 Angry Men", 1957)
    assert await _first(api, "oceans 11") == ("Ocean's Eleven", 2001)


async def test_entities_rank_before_their_parts(
    api: httpx.AsyncClient, catalogue: Catalogue
) -> None:
    bad = await _search(api, "breaking bad")
    assert [(i["type"], i["title"]) for i in bad[:2]] == [
        ("series", "Breaking Bad"), ("episode", "Breaking Bad"),
    ]  # fmt: skip
    black = await _search(api, "back in black")
    assert [i["type"] for i in black[:2]] == ["album", "track"]
    acdc = await _search(api, "ac/dc")
    assert [i["type"] for i in acdc[:3]] == ["artist", "album", "track"]


async def test_exact_accents_prefixes_and_non_latin_still_work(
    api: httpx.AsyncClient, catalogue: Catalogue
) -> None:
    assert await _first(api, "Star Wars") == ("Star Wars", 1977)
    assert await _first(api, "star wars empire") == ("Star Wars: The Empire Strikes Back", 1980)
    assert await _first(api, "star w") == ("Star Wars", 1977)
    assert await _first(api, "amelie") == ("Amélie", 2001)
    assert await _first(api, "千と千尋の神隠し") == ("千と千尋の神隠し", 2001)
    assert await _first(api, "千と千尋") == ("千と千尋の神隠し", 2001)


async def test_corrections_never_reach_hidden_libraries(
    api: httpx.AsyncClient, catalogue: Catalogue
) -> None:
    titles = [i["title"] for i in await _search(api, "forest gump")]
    assert "Forrest Gump Returns" not in titles
    r = await api.get(URL, params={"q": "forest gump"}, headers=AS_ADMIN)
    assert "Forrest Gump Returns" in [i["title"] for i in r.json()["items"]]


def _queued(runtime: Runtime, entrypoint: str) -> list[dict[str, Any]]:
    with psycopg.connect(runtime.db.url) as conn:
        rows = conn.execute(
            "SELECT payload FROM pgqueuer WHERE entrypoint = %s ORDER BY id", (entrypoint,)
        )
        return [json.loads(bytes(p)) for (p,) in rows]


async def test_artists_and_podcast_shows_are_found(
    api: httpx.AsyncClient, clean_runtime: Runtime, make_library: LibraryMaker, scan: Scanner,
    tmp_path: Path,
) -> None:  # fmt: skip
    folder = tmp_path / "music" / "Radiohead" / "OK Computer"
    for n, title in ((1, "Airbag"), (2, "Paranoid Android")):
        tags = {"title": title, "artist": "Radiohead", "album_artist": "Radiohead",
                "album": "OK Computer", "track": str(n), "date": "1997"}  # fmt: skip
        make_audio(folder / f"{n:02d} - {title}.mp3", seconds=0.2, tags=tags)
    library = await make_library("music", tmp_path / "music")
    await scan(library)
    ctx = JobContext(clean_runtime, 0, "search.index", 1)
    for payload in _queued(clean_runtime, "search.index"):  # what the scan asked for
        await index_job(ctx, payload)
    r = await api.get(URL, params={"q": "radiohead", "types": "artist"}, headers=AS_ADMIN)
    assert [(i["type"], i["title"]) for i in r.json()["items"]] == [("artist", "Radiohead")]
    everything = (await api.get(URL, params={"q": "radiohead"}, headers=AS_ADMIN)).json()
    assert everything["items"][0]["type"] == "artist"
    assert set(everything["groups"]) == {"artist", "album", "track"}

    shows = await add_library(clean_runtime, "podcast")
    episode = await add_podcast_episode(clean_runtime, shows, "Episode 12", show="Hardcore History")
    # The podcast cataloguer lists episodes only: their show is indexed with them.
    await index_job(ctx, {"items": [{"kind": "podcast_episode", "id": str(episode)}]})
    r = await api.get(URL, params={"q": "hardcore history", "types": "podcast"}, headers=AS_ADMIN)
    assert [(i["type"], i["title"]) for i in r.json()["items"]] == [("podcast", "Hardcore History")]
