"""Search relevance on a catalogue of real titles, beside a naive fuzzy matcher.

Loads bench/data (movies with years, series, artists with their albums) into a scratch
database, with episodes under each series and tracks under each album (one of them the
album's title track), indexes it through the search index's own rebuild, and asks the real
search index queries of the kinds people type, generated per class from the titles:

    exact        the title as written
    typo1        one letter changed, dropped, added or swapped in a word
    typo2        two such edits (in two words, or twice in one long word)
    punct_drop   punctuation typed as spaces       (Spider Man, King s Speech)
    punct_join   punctuation left out, words joined (spiderman, acdc, kings speech)
    article      the leading article left out      (godfather)
    swapped      two neighbouring words swapped
    year         the title and its year            (alien 1979)
    sequel       digits for roman numerals and back, "Part" left out (godfather 2)
    number_words numbers in words for digits and back (twelve angry men)
    entity       an artist, series or album by name (before its albums, episodes, tracks)
    hand         written by hand (bench/data/hand.tsv)

A query is a hit at k when the target or a namesake (remakes share a title; the movie and
the series *Fargo*; but never one of the target's parts, as the self-titled album of an
artist) is among the first k results. Prints hit@1, hit@5 and
MRR@10 per class and overall, for Revenge's search and for rapidfuzz WRatio over all titles.

    python bench/relevance.py [--per-class 300] [--seed 7]

Database: REVENGE_BENCH_DATABASE_URL or REVENGE_TEST_DATABASE_URL (a server URL; a scratch
database is created on it), else an embedded PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")

import psycopg
from rapidfuzz import fuzz, process, utils

from revenge.infra.db import migrate
from revenge.infra.db.engine import Database
from revenge.search.index import PostgresSearchIndex, SearchQuery
from revenge.testing.services import fresh_database, postgres_server

DATA = Path(__file__).resolve().parent / "data"
ARTICLES = ("the ", "a ", "an ")
NUMBER_WORDS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
    "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen", "twenty",
)  # fmt: skip
ROMAN = {"ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}


@dataclass(frozen=True)
class Item:
    kind: str
    id: uuid.UUID
    title: str
    year: int | None

    @property
    def key(self) -> tuple[str, str]:
        return self.kind, _plain(self.title)


def _plain(title: str) -> str:
    """Titles that differ only in case and punctuation are namesakes ("Heroes", Heroes)."""
    return " ".join(re.sub(r"[^\w\s]+", "", title.casefold()).split())


def _rows(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


def load(db_url: str) -> list[Item]:
    """The catalogue, written straight into the catalogue tables (as a scan leaves it)."""
    items: list[Item] = []
    library = uuid.uuid4()
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("INSERT INTO libraries (id, name, type) VALUES (%s, 'all', 'movie')",
                     (library,))  # fmt: skip
        n = 0

        def key() -> str:
            nonlocal n
            n += 1
            return f"k{n}"

        def add(table: str, columns: str, values: tuple[object, ...]) -> uuid.UUID:
            new = uuid.uuid4()
            marks = ", ".join(["%s"] * (len(values) + 3))
            conn.execute(f"INSERT INTO {table} (id, library_id, group_key, {columns})"
                         f" VALUES ({marks})", (new, library, key(), *values))  # fmt: skip
            return new

        for title, year in dict.fromkeys(tuple(r) for r in _rows("movies.tsv")):
            new = add("movies", "title, sort_title, year", (title, title.lower(), int(year)))
            items.append(Item("movie", new, title, int(year)))
        for at, (title, year) in enumerate(dict.fromkeys(tuple(r) for r in _rows("series.tsv"))):
            series = add("series", "title, sort_title, year", (title, title.lower(), int(year)))
            items.append(Item("series", series, title, int(year)))
            season = add("seasons", "series_id, number", (series, 1))
            # Episodes: a pilot, a numbered one, and now and then one named like the show.
            names = ["Pilot", "Episode 2", *([title] if at % 4 == 0 else [])]
            for number, name in enumerate(names, 1):
                add("episodes", "series_id, season_id, season_number, number, title",
                    (series, season, 1, number, name))  # fmt: skip
        artists: dict[str, uuid.UUID] = {}
        for artist, album, year in _rows("music.tsv"):
            if artist not in artists:
                artists[artist] = add("artists", "name, sort_name", (artist, artist.lower()))
                items.append(Item("artist", artists[artist], artist, None))
            album_id = add("albums", "album_artist_id, title, sort_title, year",
                           (artists[artist], album, album.lower(), int(year)))  # fmt: skip
            items.append(Item("album", album_id, album, int(year)))
            for name in (album, "Intro"):
                add("tracks", "album_id, artist_id, artist_name, title",
                    (album_id, artists[artist], artist, name))  # fmt: skip
        conn.execute("ANALYZE")
    return items


# --- query generation -----------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]{4,}")


def _edit(word: str, rng: random.Random) -> str:
    at = rng.randrange(len(word))
    letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
    op = rng.choice(("sub", "del", "ins", "swap"))
    if op == "swap" and at < len(word) - 1 and word[at] != word[at + 1]:
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    if op == "del" and len(word) > 4:
        return word[:at] + word[at + 1 :]
    if op == "ins":
        return word[:at] + letter + word[at:]
    return word[:at] + (letter if letter != word[at] else "e" if word[at] != "e" else "a") + (
        word[at + 1 :]
    )  # fmt: skip


def _typos(title: str, rng: random.Random, count: int) -> str | None:
    words = title.split()
    long = [i for i, w in enumerate(words) if _WORD.fullmatch(w) and w.lower() not in ("the",)]
    if count == 1:
        if not long:
            return None
        i = rng.choice(long)
        words[i] = _edit(words[i], rng)
    else:
        if len(long) >= 2:
            for i in rng.sample(long, 2):
                words[i] = _edit(words[i], rng)
        else:
            longer = [i for i in long if len(words[i]) >= 7]
            if not longer:
                return None
            words[longer[0]] = _edit(_edit(words[longer[0]], rng), rng)
    typed = " ".join(words)
    return typed if typed.lower() != title.lower() else None


def _strip_article(title: str) -> str | None:
    low = title.lower()
    for article in ARTICLES:
        if low.startswith(article) and len(title) > len(article) + 2:
            return title[len(article) :]
    return None


def _swapped(title: str, rng: random.Random) -> str | None:
    words = re.sub(r"[^\w\s']", " ", title).split()
    if len(words) < 2 or len(words) > 5:
        return None
    i = rng.randrange(len(words) - 1)
    if words[i].lower() == words[i + 1].lower():
        return None
    words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def _sequel(title: str) -> str | None:
    words = re.sub(r"[:\-\u2013]", " ", title).split()
    out, changed = [], False
    for word in words:
        low = word.lower()
        if low == "part" and not changed:
            continue
        if low in ROMAN:
            out.append(str(ROMAN[low]))
            changed = True
        elif word.isdigit() and 2 <= int(word) <= 10:
            out.append(next(k for k, v in ROMAN.items() if v == int(word)))
            changed = True
        else:
            out.append(word)
    return " ".join(out) if changed else None


def _number_words(title: str) -> str | None:
    out, changed = [], False
    for word in title.split():
        low = word.lower().strip(",.:")
        if low.isdigit() and int(low) < len(NUMBER_WORDS):
            out.append(NUMBER_WORDS[int(low)])
            changed = True
        elif low in NUMBER_WORDS[1:]:
            out.append(str(NUMBER_WORDS.index(low)))
            changed = True
        else:
            out.append(word)
    return " ".join(out) if changed else None


def _punct(title: str, joined: bool) -> str | None:
    if joined:
        if not re.search(r"\w[^\w\s]+\w", title):
            return None
        return re.sub(r"(?<=\w)[^\w\s]+(?=\w)", "", title)
    if not re.search(r"[^\w\s]", title):
        return None
    return re.sub(r"[^\w\s]+", " ", title).strip()


def queries(items: list[Item], per_class: int, seed: int) -> dict[str, list[tuple[str, Item]]]:
    rng = random.Random(seed)
    titled = [i for i in items if i.kind in ("movie", "series", "album", "artist")
              and re.search(r"\w", i.title)]  # fmt: skip
    makers: dict[str, Callable[[Item], str | None]] = {
        "exact": lambda i: i.title,
        "typo1": lambda i: _typos(i.title, rng, 1),
        "typo2": lambda i: _typos(i.title, rng, 2),
        "punct_drop": lambda i: _punct(i.title, joined=False),
        "punct_join": lambda i: _punct(i.title, joined=True),
        "article": lambda i: _strip_article(i.title),
        "swapped": lambda i: _swapped(i.title, rng),
        "year": lambda i: f"{i.title} {i.year}" if i.year and i.kind == "movie" else None,
        "sequel": lambda i: _sequel(i.title),
        "number_words": lambda i: _number_words(i.title),
        "entity": lambda i: i.title if i.kind in ("artist", "series", "album") else None,
    }
    found: dict[str, list[tuple[str, Item]]] = {}
    for name, make in makers.items():
        pool = [(q, i) for i in titled if (q := make(i))]
        found[name] = rng.sample(pool, min(per_class, len(pool)))
    by_title = {(i.kind, i.title): i for i in items}
    found["hand"] = [(q, by_title[(kind, title)]) for q, kind, title in _rows("hand.tsv")]
    return found


# --- scoring ---------------------------------------------------------------------------


@dataclass
class Score:
    hit1: int = 0
    hit5: int = 0
    rr: float = 0.0
    count: int = 0

    def add(self, rank: int | None) -> None:
        self.count += 1
        if rank is not None:
            self.hit1 += rank == 1
            self.hit5 += rank <= 5
            self.rr += 1 / rank if rank <= 10 else 0.0

    def line(self) -> str:
        n = max(1, self.count)
        return f"{100 * self.hit1 / n:6.1f} {100 * self.hit5 / n:6.1f} {self.rr / n:6.3f}"


# What an item is made of: an artist's albums and tracks rank after it, never as its namesake.
PARTS = {"artist": {"album", "track"}, "series": {"episode"}, "album": {"track"}}


def _rank(found: list[tuple[str, str]], target: Item) -> int | None:
    """Where the target (or a namesake of another kind that is not one of its parts:
    the movie *Fargo* for the series) first appears."""
    kind, title = target.key
    for at, (found_kind, found_title) in enumerate(found[:10], 1):
        if found_title == title and (found_kind == kind or found_kind not in PARTS.get(kind, ())):
            return at
    return None


async def measure(
    db_url: str, items: list[Item], asked: dict[str, list[tuple[str, Item]]]
) -> tuple[dict[str, Score], dict[str, Score], list[str], float]:
    db = Database(db_url)
    index = PostgresSearchIndex(db)
    async with db.transaction() as session:
        await index.rebuild(session)
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE search_documents")
        docs = conn.execute("SELECT item_type, title FROM search_documents").fetchall()
    titles = [t for _, t in docs]
    keys = [(k, _plain(t)) for k, t in docs]
    ours: dict[str, Score] = defaultdict(Score)
    naive: dict[str, Score] = defaultdict(Score)
    misses: list[str] = []
    spent = 0.0
    async with db.transaction() as session:
        for name, pairs in asked.items():
            for text, target in pairs:
                started = time.perf_counter()
                result = await index.search(session, SearchQuery(text, limit=10), None)
                spent += time.perf_counter() - started
                got = [(h.item_type, _plain(h.title)) for h in result.hits]
                rank = _rank(got, target)
                ours[name].add(rank)
                if rank != 1:
                    top = result.hits[0].title if result.hits else "-"
                    misses.append(f"{name:12} {text!r} -> {top!r} (want {target.title!r})")
                fuzzy = process.extract(text, titles, scorer=fuzz.WRatio,
                                        processor=utils.default_process, limit=10)  # fmt: skip
                naive[name].add(_rank([keys[i] for _, _, i in fuzzy], target))
    await db.dispose()
    return ours, naive, misses, spent


def report(ours: dict[str, Score], naive: dict[str, Score]) -> None:
    print(f"{'class':14} {'n':>5}   {'revenge hit@1 hit@5 MRR@10':>27}   "
          f"{'naive WRatio hit@1 hit@5 MRR@10':>31}")  # fmt: skip
    total_ours, total_naive = Score(), Score()
    for name, score in ours.items():
        other = naive[name]
        print(f"{name:14} {score.count:5}   {score.line():>27}   {other.line():>31}")
        for total, part in ((total_ours, score), (total_naive, other)):
            total.hit1 += part.hit1
            total.hit5 += part.hit5
            total.rr += part.rr
            total.count += part.count
    print(f"{'overall':14} {total_ours.count:5}   {total_ours.line():>27}   "
          f"{total_naive.line():>31}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-class", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--misses", action="store_true", help="list the queries missed")
    args = parser.parse_args()
    server = os.environ.get("REVENGE_BENCH_DATABASE_URL")
    if server:
        os.environ["REVENGE_TEST_DATABASE_URL"] = server
    with postgres_server() as url, fresh_database(url, "revenge_relevance") as db_url:
        migrate.upgrade(db_url)
        items = load(db_url)
        asked = queries(items, args.per_class, args.seed)
        print(f"{len(items):,} titles; {sum(map(len, asked.values())):,} queries")
        ours, naive, misses, spent = asyncio.run(measure(db_url, items, asked))
    report(ours, naive)
    count = sum(s.count for s in ours.values())
    print(f"mean search time {1000 * spent / max(1, count):.1f} ms (in process, one client)")
    if args.misses:
        print("\n".join(misses))


if __name__ == "__main__":
    main()
