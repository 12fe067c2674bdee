"""What one Subsonic or Jellyfin list or search costs the server: CPU microseconds per request.

The companion of bench/request_cost.py for the calls bench/compat.py times under load: the
same catalogue (bench/compat.py's seeding: 100,000 movie and music items, 50 users with stars
and plays, a personal access key each), the application called in-process through its ASGI
interface one request at a time, authenticated as the players of bench/compat.py are (the
`apiKey` parameter; the same key as a Jellyfin `Token`), rotating over the users. It prints
the process's CPU and wall microseconds per request, and the CPU every PostgreSQL process
of this machine spent meanwhile (read from /proc: PostgreSQL must run here, the machine's
own or the embedded one; elsewhere the column reads 0). Under bench/compat.py's load, the
server and PostgreSQL share the two cores: both columns are what the players queue for.

    python bench/compat_cost.py [--items 100000] [--requests 300] [--only search3,...]

Database: REVENGE_BENCH_DATABASE_URL or REVENGE_TEST_DATABASE_URL (a server URL; a scratch
database is created on it), else an embedded PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from _common import process_cpu, scratch_database
from bench._catalog import index_and_settle, search_queries
from bench.compat import GENRES, JELLYFIN_AUTH, give_keys, seed_movies, seed_music
from bench.request_cost import App, call, served_app

from revenge.infra.db import migrate

USERS = 50
Request = tuple[str, list[tuple[bytes, bytes]]]
LISTS = ("newest", "random", "alphabeticalByName", "frequent", "starred", "byGenre", "byYear")
ITEM_PAGES = {
    "movies by name": {"IncludeItemTypes": "Movie", "SortBy": "SortName",
                       "SortOrder": "Ascending"},
    "movies newest first": {"IncludeItemTypes": "Movie", "SortBy": "DateCreated",
                            "SortOrder": "Descending"},
    "movies by year, newest": {"IncludeItemTypes": "Movie", "SortBy": "ProductionYear",
                               "SortOrder": "Descending"},
    "music albums": {"IncludeItemTypes": "MusicAlbum", "SortBy": "SortName"},
}  # fmt: skip


def postgres_seconds() -> float:
    """CPU seconds used so far by every PostgreSQL process of this machine."""
    total = 0.0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if b"postgres" in Path(f"/proc/{pid}/cmdline").read_bytes():
                total += process_cpu(int(pid))
        except OSError:
            continue  # ended meanwhile
    return total


def subsonic(key: str, method: str, params: dict[str, str]) -> Request:
    query = urlencode({"apiKey": key, "f": "json", "v": "1.16.1", "c": "bench", **params})
    return f"/rest/{method}.view?{query}", []


def jellyfin(key: str, params: dict[str, str], path: str = "/Items") -> Request:
    auth = JELLYFIN_AUTH.format(key[-8:]) + f', Token="{key}"'
    return f"{path}?{urlencode(params)}", [(b"authorization", auth.encode())]


def workloads(keys: list[str], requests: int) -> dict[str, list[Request]]:
    rng = random.Random(5)
    queries = search_queries(requests)
    out: dict[str, list[Request]] = {
        # The floor under every row: routing, authentication, an empty read-only session.
        "ping": [subsonic(keys[n % len(keys)], "ping", {}) for n in range(requests)],
        "/System/Info (signed in)": [
            jellyfin(keys[n % len(keys)], {}, "/System/Info") for n in range(requests)
        ],
        "search3 (20 each)": [
            subsonic(keys[n % len(keys)], "search3", {"query": q, "songCount": "20"})
            for n, q in enumerate(queries)
        ],
        # Each asked once: none is answered from remembered results.
        "search3, each query new": [
            subsonic(keys[n % len(keys)], "search3", {"query": q, "songCount": "20"})
            for n, q in enumerate(list(dict.fromkeys(search_queries(requests * 20)))[:requests])
        ],
    }
    for kind in LISTS:
        rows = []
        for n in range(requests):
            params = {"type": kind, "size": "20", "offset": str(rng.randrange(0, 200))}
            if kind == "byGenre":
                params["genre"] = rng.choice(GENRES)
            if kind == "byYear":
                params |= {"fromYear": "2000", "toYear": "1970"}  # newest first
            rows.append(subsonic(keys[n % len(keys)], "getAlbumList2", params))
        out[f"getAlbumList2 {kind}"] = rows
    for name, wanted in ITEM_PAGES.items():
        out[f"/Items {name} (50)"] = [
            jellyfin(keys[n % len(keys)], {**wanted, "Recursive": "true", "Limit": "50",
                                           "StartIndex": str(50 * rng.randrange(0, 20))})
            for n in range(requests)
        ]  # fmt: skip
    return out


async def checked(app: App, path: str, headers: list[tuple[bytes, bytes]]) -> None:
    """One request that must succeed: 200, and for Subsonic a status of ok."""
    body: list[bytes] = []
    status = await call(app, path, headers, body)
    answer = json.loads(b"".join(body) or b"{}")
    if status != 200 or answer.get("subsonic-response", {}).get("status", "ok") != "ok":
        raise RuntimeError(f"{path} answered {status}: {answer}")
    if path.startswith("/Items") and not answer.get("Items"):
        raise RuntimeError(f"{path} answered no items")


async def measure(app: App, requests: list[Request]) -> tuple[float, float, float]:
    """Mean CPU, PostgreSQL CPU and wall microseconds per request, after a checked warm-up
    that has every user's key validated once (a key's first use reads the database and marks
    it used)."""
    for path, headers in requests[:USERS]:
        await checked(app, path, headers)
    cpu, postgres, wall = time.process_time(), postgres_seconds(), time.perf_counter()
    for path, headers in requests:
        await call(app, path, headers)
    count = len(requests) / 1e6
    return (
        (time.process_time() - cpu) / count,
        (postgres_seconds() - postgres) / count,
        (time.perf_counter() - wall) / count,
    )


async def drive(keys: list[str], requests: int, only: list[str], rounds: int) -> None:
    async with served_app() as app:
        rows = {k: v for k, v in workloads(keys, requests).items()
                if not only or any(o in k for o in only)}  # fmt: skip
        for n in range(rounds):
            title = f"request (round {n + 1})"
            print(f"{title:34} {'CPU us':>9} {'PG CPU us':>10} {'wall us':>9}")
            for name, paths in rows.items():
                cpu, postgres, wall = await measure(app, paths)
                print(f"{name:34} {cpu:9.0f} {postgres:10.0f} {wall:9.0f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=2, help="passes over every row")
    parser.add_argument("--only", default="", help="comma-separated parts of row names")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="revenge-bench-compat-cost-"))
    try:
        with scratch_database() as db:
            migrate.upgrade(db)
            movies = args.items // 5
            seed_music(db, args.items - movies, USERS)
            seed_movies(db, movies)
            keys = give_keys(db, USERS)
            os.environ |= {"REVENGE_DATABASE_URL": db, "REVENGE_DATA_DIR": str(base)}
            index_and_settle(db, base)
            only = [o for o in args.only.split(",") if o]
            asyncio.run(drive(keys, args.requests, only, args.rounds))
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
