"""Subsonic and Jellyfin APIs under load: search3, getAlbumList2 and /Items with 50 players.

Seeds 100,000 items by COPY: a fifth movies, the rest music (2% artists, 10% albums of ~11
tracks, the rest tracks; titles from bench/_catalog.py's vocabulary), with stars and plays for
every simulated user, builds the search index, gives every user a personal access key (the
OpenSubsonic `apiKey`), starts `revenge serve --no-worker` and runs U users for D seconds;
each loops: search3 for a word of the catalogue, or getAlbumList2 of a random type and page,
or (as a Jellyfin app with the same key as its token) a page of `/Items` (movies by name,
year or date added, or music albums), then waits a think time. Then times Jellyfin
sign-ins (`/Users/AuthenticateByName`, one argon2id verification each), one after another.
Prints p50/p95/p99 per call and the error count.
Goal (2 cores): p99 < 50 ms for the lists and search, sign-in p50 < 50 ms.

    .venv/bin/python bench/compat.py [--users 50] [--duration 60] [--items 100000] [--think-ms 500]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import signal
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import aiohttp
import psycopg
from _common import REPO_ROOT, scratch_database

sys.path.insert(0, str(REPO_ROOT / "src"))
sys.path.insert(0, str(REPO_ROOT / "bench"))

from bench._catalog import Titles, index_and_settle, search_queries
from load import Results, report, start_server

from revenge.identity.tokens import new_token, token_hash
from revenge.infra.db import migrate
from revenge.testing.services import free_port

LIST_TYPES = ("random", "newest", "alphabeticalByName", "alphabeticalByArtist", "frequent",
              "recent", "starred", "highest", "byYear", "byGenre")  # fmt: skip


GENRES = ("Rock", "Jazz", "Pop", "Folk", "Drama", "Electronic", "Classical", "Hip-Hop")


def _copy(conn: psycopg.Connection[Any], sql: str, rows: list[tuple[Any, ...]]) -> None:
    with conn.cursor().copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def seed_music(url: str, items: int, users: int) -> None:
    """A music library, its artists, albums and tracks, and users with stars and plays."""
    titles = Titles(7)
    rng = titles.rng
    library = uuid.uuid4()
    artists = [uuid.uuid4() for _ in range(max(1, items // 50))]
    albums = [(uuid.uuid4(), rng.choice(artists)) for _ in range(max(1, items // 10))]
    tracks = [(uuid.uuid4(), albums[n % len(albums)][0])
              for n in range(items - len(artists) - len(albums))]  # fmt: skip
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("INSERT INTO libraries (id, name, type) VALUES (%s, 'Music', 'music')",
                     (library,))  # fmt: skip
        names = [titles.title() for _ in artists]
        _copy(conn, "COPY artists (id, library_id, group_key, name, sort_name) FROM STDIN",
              [(a, library, f"ar{n}", names[n], names[n].lower())
               for n, a in enumerate(artists)])  # fmt: skip
        rows = []
        for n, (album, artist) in enumerate(albums):
            title = titles.title()
            rows.append((album, library, f"al{n}", artist, title, title.lower(),
                         1950 + n % 75, [rng.choice(GENRES)]))  # fmt: skip
        _copy(conn, "COPY albums (id, library_id, group_key, album_artist_id, title, sort_title,"
              " year, genres) FROM STDIN", rows)  # fmt: skip
        _copy(conn, "COPY tracks (id, library_id, group_key, album_id, title, track_number,"
              " duration_seconds) FROM STDIN",
              [(t, library, f"t{n}", album, titles.title(), 1 + n // len(albums),
                float(120 + n % 300)) for n, (t, album) in enumerate(tracks)])  # fmt: skip
        user_ids = [uuid.uuid4() for _ in range(users)]
        _copy(conn, "COPY users (id, username, role) FROM STDIN",
              [(u, f"load{n}", "user") for n, u in enumerate(user_ids)])  # fmt: skip
        states = []
        for user in user_ids:
            for album, _ in rng.sample(albums, min(50, len(albums))):
                states.append((user, "album", album, library, True, 0, rng.choice((None, 4, 5))))
            for track, _ in rng.sample(tracks, min(200, len(tracks))):
                states.append((user, "track", track, library, False, rng.randint(1, 9), None))
        _copy(conn, "COPY user_item_state (user_id, item_kind, item_id, library_id, favourite,"
              " play_count, rating) FROM STDIN", states)  # fmt: skip
        conn.execute("UPDATE user_item_state SET last_played_at = now() - random() * interval"
                     " '30 days' WHERE play_count > 0")  # fmt: skip
        conn.execute("ANALYZE")


def seed_movies(url: str, count: int) -> None:
    """A movie library (Jellyfin apps browse it through `/Items`)."""
    titles = Titles(11)
    library = uuid.uuid4()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("INSERT INTO libraries (id, name, type) VALUES (%s, 'Movies', 'movie')",
                     (library,))  # fmt: skip
        rows = []
        for n in range(count):
            title = titles.title()
            rows.append((uuid.uuid4(), library, f"m{n}", title, title.lower(), 1950 + n % 75,
                         [titles.rng.choice(GENRES)]))  # fmt: skip
        _copy(conn, "COPY movies (id, library_id, group_key, title, sort_title, year, genres)"
              " FROM STDIN", rows)  # fmt: skip
        conn.execute("ANALYZE movies")


def give_password(url: str, username: str, password: str) -> None:
    """A password for one seeded user, hashed as the server hashes them."""
    from revenge.accounts.passwords import Passwords
    from revenge.config import Settings

    hashed = asyncio.run(Passwords(Settings().auth).hash(password))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE users SET password_hash = %s WHERE username = %s", (hashed, username))


def give_keys(url: str, users: int) -> list[str]:
    keys = []
    with psycopg.connect(url, autocommit=True) as conn:
        for n in range(users):
            key = new_token("rvk_")
            conn.execute(
                "INSERT INTO access_keys (user_id, name, key_hash, prefix, scopes)"
                " SELECT id, 'bench', %s, %s, ARRAY['read','write'] FROM users"
                " WHERE username = %s", (token_hash(key), key[:12], f"load{n}"),
            )  # fmt: skip
            keys.append(key)
    return keys


async def player(
    session: aiohttp.ClientSession, key: str, rng: random.Random, queries: list[str],
    until: float, think_ms: float, results: Results,
) -> None:  # fmt: skip
    base = {"apiKey": key, "f": "json", "v": "1.16.1", "c": "bench"}
    await asyncio.sleep(rng.uniform(0, max(think_ms, 1)) / 1000)
    while time.monotonic() < until:
        roll = rng.random()
        if roll < 1 / 3:
            await jellyfin_items(session, key, rng, results)
        elif roll < 2 / 3:
            name, params = "search3", {"query": rng.choice(queries), "songCount": "20"}
        else:
            kind = rng.choice(LIST_TYPES)
            name = "getAlbumList2"
            params = {"type": kind, "size": "20", "offset": str(rng.randrange(0, 200))}
            if kind == "byYear":
                params |= {"fromYear": "1970", "toYear": "2000"}
            if kind == "byGenre":
                params["genre"] = rng.choice(GENRES)
        if roll < 1 / 3:
            await asyncio.sleep(rng.uniform(0.5, 1.5) * think_ms / 1000)
            continue
        started = time.perf_counter()
        error = None
        try:
            async with session.get(f"/rest/{name}.view", params=base | params) as answer:
                body = (await answer.json(content_type=None)).get("subsonic-response", {})
                if body.get("status") != "ok":
                    error = str(body.get("error", {}).get("code", f"http {answer.status}"))
        except (aiohttp.ClientError, TimeoutError) as exc:
            error = type(exc).__name__
        results.record(name, time.perf_counter() - started, error)
        await asyncio.sleep(rng.uniform(0.5, 1.5) * think_ms / 1000)


JELLYFIN_AUTH = 'MediaBrowser Client="bench", Device="bench", DeviceId="{}", Version="1.0"'
_ITEM_PAGES = (
    {"IncludeItemTypes": "Movie", "SortBy": "SortName", "SortOrder": "Ascending"},
    {"IncludeItemTypes": "Movie", "SortBy": "DateCreated", "SortOrder": "Descending"},
    {"IncludeItemTypes": "Movie", "SortBy": "ProductionYear", "SortOrder": "Descending"},
    {"IncludeItemTypes": "MusicAlbum", "SortBy": "SortName"},
)


async def jellyfin_items(
    session: aiohttp.ClientSession, key: str, rng: random.Random, results: Results
) -> None:
    """One page of `/Items` as a Jellyfin app's library grid asks for it."""
    start = str(50 * rng.randrange(0, 20))
    params = {**rng.choice(_ITEM_PAGES), "Recursive": "true", "Limit": "50", "StartIndex": start}
    headers = {"Authorization": JELLYFIN_AUTH.format(key[-8:]) + f', Token="{key}"'}
    started = time.perf_counter()
    error = None
    try:
        async with session.get("/Items", params=params, headers=headers) as answer:
            body = await answer.json(content_type=None)
            if answer.status != 200 or not body.get("Items"):
                error = f"http {answer.status}"
    except (aiohttp.ClientError, TimeoutError) as exc:
        error = type(exc).__name__
    results.record("jellyfin /Items", time.perf_counter() - started, error)


async def sign_ins(base: str, username: str, password: str, count: int) -> Results:
    """Jellyfin sign-ins one after another (each is an argon2id verification)."""
    results = Results()
    async with aiohttp.ClientSession(base) as session:
        for n in range(count):
            headers = {"Authorization": JELLYFIN_AUTH.format(f"device{n}")}
            started = time.perf_counter()
            body = {"Username": username, "Pw": password}
            async with session.post(
                "/Users/AuthenticateByName", headers=headers, json=body
            ) as answer:
                ok = answer.status == 200 and (await answer.json()).get("AccessToken")
            results.record("jellyfin sign-in", time.perf_counter() - started,
                           None if ok else f"http {answer.status}")  # fmt: skip
    return results


async def drive(base: str, keys: list[str], duration: float, think_ms: float) -> Results:
    results = Results()
    queries = search_queries(2000)
    timeout = aiohttp.ClientTimeout(total=30)
    sessions = [aiohttp.ClientSession(base, connector=aiohttp.TCPConnector(limit=1),
                                      timeout=timeout) for _ in keys]  # fmt: skip
    until = time.monotonic() + duration
    try:
        await asyncio.gather(*(
            player(s, k, random.Random(n), queries, until, think_ms, results)
            for n, (s, k) in enumerate(zip(sessions, keys, strict=True))
        ))  # fmt: skip
    finally:
        for s in sessions:
            await s.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--think-ms", type=float, default=500.0)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="revenge-compat-"))
    with scratch_database() as url:
        migrate.upgrade(url)
        started = time.perf_counter()
        movies = args.items // 5
        seed_music(url, args.items - movies, args.users)
        seed_movies(url, movies)
        give_password(url, "load0", "bench password 123")
        print(f"seeded {args.items:,} movie and music items and {args.users} users"
              f" in {time.perf_counter() - started:.1f} s", flush=True)  # fmt: skip
        keys = give_keys(url, args.users)
        index_and_settle(url, data_dir)
        port = free_port()
        with tempfile.TemporaryFile() as log:
            proc = start_server(url, data_dir, port, log)
            try:
                base = f"http://127.0.0.1:{port}"
                asyncio.run(drive(base, keys, 5, 0))  # warm up
                started = time.monotonic()
                results = asyncio.run(drive(base, keys, args.duration, args.think_ms))
                report(results, time.monotonic() - started, proc.pid, args.users, args.think_ms)
                started = time.monotonic()
                logins = asyncio.run(sign_ins(base, "load0", "bench password 123", 40))
                report(logins, time.monotonic() - started, proc.pid, 1, 0)
            finally:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=60)


if __name__ == "__main__":
    main()
