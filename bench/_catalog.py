"""A synthetic catalogue with realistic titles, shared by the catalogue and load benches.

Title words follow Zipf's law over a 5,000-word vocabulary, as words of real film and music
titles do: the commonest ("the", "of") sit in about a tenth of titles, a word like "night"
in about one in a hundred, most words in a handful. A 60-word vocabulary drawn uniformly
(the first version of this bench) put every word in 4% of all titles, so any one-word search
matched 8,000 items, which no real catalogue does.
"""

from __future__ import annotations

import itertools
import os
import random
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg
from bench._common import REPO_ROOT

COMMON = (
    "The", "of", "and", "A", "Love", "Night", "Man", "Life", "Day", "Last", "Dead", "Dark",
    "Star", "Time", "House", "World", "Girl", "King", "Blood", "Story", "Black", "City", "Lost",
    "Home", "War", "Heart", "Death", "Little", "Red", "Secret", "Wild", "Big", "Blue", "Woman",
    "Dream", "Fire", "Queen", "Road", "Moon", "Summer", "Winter", "River", "Golden", "Shadow",
    "Silent", "Kingdom", "Iron", "Broken", "Crimson", "Hidden", "Ice", "Light", "Ocean", "Storm",
    "Empire", "Ghost", "Stone", "Glass", "Paper", "Sun", "Wolf", "Dragon", "Garden", "Machine",
    "Echo", "Voyage", "Frontier", "Legacy", "Harbor", "Canyon", "Falcon", "Mirror", "Thunder",
    "Velvet", "Whisper", "Orchard", "Matrix", "Beatles", "Amélie", "Café", "Wars", "Trek",
)  # fmt: skip
_ONSETS = ("b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h", "j", "k", "l", "m", "n", "p",
           "pr", "r", "s", "sh", "st", "t", "tr", "v", "w", "z")  # fmt: skip
_VOWELS = ("a", "e", "i", "o", "u", "ai", "ea", "ou")
_CODAS = ("", "n", "r", "l", "s", "th", "nd", "ck", "m", "x")
VOCABULARY_SIZE = 5000
# The issue's own examples: a prefix being typed, typos, accents, a band name.
EXAMPLE_QUERIES = ("star w", "matirx", "beetles", "amelie", "dark", "shadw", "golden ki",
                   "night riv", "thundr", "velvet mo", "the lost", "ec")  # fmt: skip


def vocabulary(size: int = VOCABULARY_SIZE) -> list[str]:
    """Common title words first, then made-up but pronounceable ones, in rank order."""
    words = list(COMMON)
    seen = {w.lower() for w in words}
    rng = random.Random(11)
    while len(words) < size:
        word = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS)
                       for _ in range(rng.randint(1, 3)))  # fmt: skip
        if word not in seen:
            seen.add(word)
            words.append(word.capitalize())
    return words


class Titles:
    """Random titles of one to four words, words drawn by Zipf rank (exponent 1)."""

    def __init__(self, seed: int) -> None:
        self.words = vocabulary()
        self.cumulative = list(
            itertools.accumulate(1 / rank for rank in range(1, 1 + len(self.words)))
        )
        self.rng = random.Random(seed)

    def title(self) -> str:
        count = self.rng.randint(1, 4)
        return " ".join(self.rng.choices(self.words, cum_weights=self.cumulative, k=count))

    def typed(self) -> str:
        """What someone types while looking for an existing title: a prefix of it."""
        title = self.title().lower()
        return title[: self.rng.randint(min(3, len(title)), len(title))]


def search_queries(count: int, seed: int = 3) -> list[str]:
    """Half the issue's examples, half prefixes of titles as they are typed."""
    titles = Titles(seed)
    rng = random.Random(seed)
    return [rng.choice(EXAMPLE_QUERIES) if n % 2 else titles.typed() for n in range(count)]


def search_path(query: str) -> str:
    """The API call searching for `query`, a page of 20 hits."""
    return f"/api/v1/search?q={quote(query)}&limit=20"


def searches_and_browses(count: int) -> tuple[list[str], list[str]]:
    """`count` searches (`search_queries`) and `count` pages of 50 movies (a random sort and
    offset each): the same calls on every run."""
    rng = random.Random(3)
    browses = [
        f"/api/v1/movies?sort={rng.choice(('title', 'added', 'year'))}&limit=50"
        f"&offset={rng.randrange(0, 2000)}"
        for _ in range(count)
    ]
    return [search_path(q) for q in search_queries(count)], browses


def load(db_url: str, items: int) -> uuid.UUID:
    """Movies (60%), episodes (30%), tracks (10%) with their parents, by COPY; the library."""
    titles = Titles(5)
    rng = titles.rng
    library = uuid.uuid4()
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("INSERT INTO users (id, username, role) VALUES (%s, 'admin', 'admin')"
                     " ON CONFLICT DO NOTHING", (uuid.UUID(int=1),))  # fmt: skip
        conn.execute("INSERT INTO libraries (id, name, type) VALUES (%s, 'all', 'movie')",
                     (library,))  # fmt: skip
        with conn.cursor().copy(
            "COPY movies (id, library_id, group_key, title, sort_title, year, overview, genres)"
            " FROM STDIN"
        ) as copy:
            for n in range(int(items * 0.6)):
                title = titles.title()
                copy.write_row((uuid.uuid4(), library, f"m{n}", title, title.lower(),
                                1930 + n % 95, f"A tale of {titles.title().lower()}.",
                                [rng.choice(("Drama", "Comedy", "Action", "Horror"))]))  # fmt: skip
        series = [(uuid.uuid4(), uuid.uuid4()) for _ in range(max(1, int(items * 0.3) // 30))]
        with conn.cursor().copy(
            "COPY series (id, library_id, group_key, title, sort_title) FROM STDIN"
        ) as copy:
            for n, (sid, _) in enumerate(series):
                title = titles.title()
                copy.write_row((sid, library, f"s{n}", title, title.lower()))
        with conn.cursor().copy(
            "COPY seasons (id, library_id, group_key, series_id, number) FROM STDIN"
        ) as copy:
            for n, (sid, season) in enumerate(series):
                copy.write_row((season, library, f"se{n}", sid, 1))
        with conn.cursor().copy(
            "COPY episodes (id, library_id, group_key, series_id, season_id, season_number,"
            " number, title) FROM STDIN"
        ) as copy:
            for n in range(int(items * 0.3)):
                sid, season = series[n % len(series)]
                copy.write_row((uuid.uuid4(), library, f"e{n}", sid, season, 1,
                                n // len(series), titles.title()))  # fmt: skip
        album = uuid.uuid4()
        conn.execute(
            "INSERT INTO albums (id, library_id, group_key, title, sort_title)"
            " VALUES (%s, %s, 'a', 'Hits', 'hits')", (album, library),
        )  # fmt: skip
        with conn.cursor().copy(
            "COPY tracks (id, library_id, group_key, album_id, title, artist_name) FROM STDIN"
        ) as copy:
            for n in range(items - int(items * 0.6) - int(items * 0.3)):
                copy.write_row((uuid.uuid4(), library, f"t{n}", album, titles.title(),
                                f"The {titles.title()}"))  # fmt: skip
        conn.execute("ANALYZE")
    return library


def index_and_settle(db_url: str, data_dir: Path) -> None:
    """The search index rebuilt as `revenge search rebuild` of this checkout rebuilds it,
    then the database settled (`settle`)."""
    env = {**os.environ, "REVENGE_DATABASE_URL": db_url, "REVENGE_DATA_DIR": str(data_dir),
           "PYTHONPATH": f"{REPO_ROOT / 'src'}:{REPO_ROOT}"}  # fmt: skip
    subprocess.run([sys.executable, "-m", "revenge", "search", "rebuild"], env=env, check=True)
    settle(db_url)


def settle(db_url: str) -> None:
    """VACUUM ANALYZE after the bulk load and the index rebuild, as autovacuum does on a
    server in use: measured right after a bulk load, reads pay for setting hint bits and
    compete with autovacuum's catch-up, which a steady catalogue never sees."""
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
