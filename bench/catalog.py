"""Search and browse latency on a 100,000-item catalogue, against a live server.

Loads synthetic movies, TV episodes and music tracks with realistic titles, builds the
search index, starts the server the way `revenge serve` does (uvicorn, zero-copy wrapper,
same logging) with a header test sign-in (no account system on this branch), and fires 50
concurrent clients. Prints p50/p95/p99 for search and for a browse page, and the server's
resident memory. Goals (2 cores): search p95 < 20 ms, browse p99 < 20 ms, RSS < 300 MB.

    python bench/catalog.py [--items 100000] [--requests 3000] [--clients 50]

Database: REVENGE_BENCH_DATABASE_URL or REVENGE_TEST_DATABASE_URL (a server URL; a scratch
database is created on it), else an embedded PostgreSQL. The clients run in this process,
on the same cores as the server: figures include their cost.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")

import httpx
import psycopg
from bench.stream import running

from revenge.infra.db import migrate
from tests.support.services import free_port, fresh_database, postgres_server

WORDS = (
    "Dark", "Night", "Star", "River", "Silent", "Golden", "Lost", "City", "Last", "Kingdom",
    "Blue", "Iron", "Red", "Wild", "Broken", "Crimson", "Hidden", "Secret", "Winter", "Summer",
    "Fire", "Ice", "Shadow", "Light", "Ocean", "Storm", "Dream", "Empire", "Ghost", "Stone",
    "Glass", "Paper", "Moon", "Sun", "Wolf", "Dragon", "Garden", "Road", "House", "Machine",
    "Heart", "Echo", "Amélie", "Café", "Matrix", "Beatles", "Voyage", "Frontier", "Legacy",
    "Harbor", "Canyon", "Falcon", "Mirror", "Thunder", "Velvet", "Whisper", "Orchard",
)  # fmt: skip
QUERIES = ("star w", "dark", "shadw", "amelie", "golden ki", "matirx", "beetles", "night riv",
           "crimson", "the lost", "wolf", "thundr", "velvet mo", "harbor", "ec")  # fmt: skip
SERVE = """
import sys
import uvicorn
from revenge.app import create_app
from revenge.config import load_settings
from revenge.infra import logs
from revenge.streaming.zerocopy import ZeroCopyApp
from tests.support.auth import HeaderAuthenticator

class SignIn:
    def __init__(self, app):
        self.app = app
    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            runtime = self.app.state.runtime
            if not isinstance(runtime.authenticator, HeaderAuthenticator):
                runtime.authenticator = HeaderAuthenticator()
        await self.app(scope, receive, send)

settings = load_settings()
logs.configure(settings.server.log_json)
uvicorn.run(ZeroCopyApp(SignIn(create_app(settings, run_worker=False))), host="127.0.0.1",
            port=int(sys.argv[1]), log_config=None)
"""


def _title(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4)))


def load(db_url: str, items: int) -> uuid.UUID:
    """Movies (60%), episodes (30%), tracks (10%) with their parents, by COPY."""
    rng = random.Random(5)
    library = uuid.uuid4()
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("INSERT INTO users (id, username, role) VALUES (%s, 'admin', 'admin')",
                     (uuid.UUID(int=1),))  # fmt: skip
        conn.execute("INSERT INTO libraries (id, name, type) VALUES (%s, 'all', 'movie')",
                     (library,))  # fmt: skip
        with conn.cursor().copy(
            "COPY movies (id, library_id, group_key, title, sort_title, year, overview) FROM STDIN"
        ) as copy:
            for n in range(int(items * 0.6)):
                title = f"{_title(rng)} {n}"
                copy.write_row((uuid.uuid4(), library, f"m{n}", title, title.lower(),
                                1930 + n % 95, f"A tale of {_title(rng).lower()}."))  # fmt: skip
        series = [(uuid.uuid4(), uuid.uuid4()) for _ in range(max(1, int(items * 0.3) // 30))]
        with conn.cursor().copy(
            "COPY series (id, library_id, group_key, title, sort_title) FROM STDIN"
        ) as copy:
            for n, (sid, _) in enumerate(series):
                title = f"{_title(rng)} Show {n}"
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
                copy.write_row((uuid.uuid4(), library, f"e{n}", sid, season, 1, n // len(series),
                                _title(rng)))  # fmt: skip
        album = uuid.uuid4()
        conn.execute(
            "INSERT INTO albums (id, library_id, group_key, title, sort_title)"
            " VALUES (%s, %s, 'a', 'Hits', 'hits')", (album, library),
        )  # fmt: skip
        with conn.cursor().copy(
            "COPY tracks (id, library_id, group_key, album_id, title, artist_name) FROM STDIN"
        ) as copy:
            for n in range(items - int(items * 0.6) - int(items * 0.3)):
                copy.write_row((uuid.uuid4(), library, f"t{n}", album, _title(rng),
                                f"The {rng.choice(WORDS)}s"))  # fmt: skip
    return library


async def fire(base: str, paths: list[str], clients: int) -> tuple[list[float], list[int]]:
    """Latencies (ms) of `paths`, `clients` requests in flight at a time, and failures."""
    queue = list(reversed(paths))
    timings: list[float] = []
    failures: list[int] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30,
                                 headers={"x-test-user": "admin"}) as http:  # fmt: skip

        async def worker() -> None:
            while queue:
                path = queue.pop()
                start = time.perf_counter()
                r = await http.get(path)
                timings.append((time.perf_counter() - start) * 1000)
                if r.status_code != 200:
                    failures.append(r.status_code)

        await asyncio.gather(*(worker() for _ in range(clients)))
    return timings, failures


def pct(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run(db_url: str, base: Path, items: int, requests: int, clients: int) -> None:
    migrate.upgrade(db_url)
    started = time.perf_counter()
    load(db_url, items)
    print(f"loaded {items:,} items in {time.perf_counter() - started:.1f} s", flush=True)
    env = {**os.environ, "REVENGE_DATABASE_URL": db_url, "REVENGE_DATA_DIR": str(base),
           "PYTHONPATH": f"{REPO_ROOT / 'src'}:{REPO_ROOT}"}  # fmt: skip
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "revenge", "search", "rebuild"], env=env, check=True)
    print(f"search rebuild: {time.perf_counter() - started:.1f} s", flush=True)
    port = free_port()
    rng = random.Random(3)
    searches = [f"/api/v1/search?q={rng.choice(QUERIES)}&limit=20" for _ in range(requests)]
    browses = [f"/api/v1/movies?sort=title&limit=50&offset={rng.randrange(0, 2000)}"
               for _ in range(requests)]  # fmt: skip
    cmd = [sys.executable, "-c", SERVE, str(port)]
    proc_env = {**env, "PYTHONUNBUFFERED": "1"}
    with running(cmd, port, proc_env) as proc:
        url = f"http://127.0.0.1:{port}"
        asyncio.run(fire(url, searches[:200] + browses[:200], clients))  # warm up
        search_ms, search_failed = asyncio.run(fire(url, searches, clients))
        browse_ms, browse_failed = asyncio.run(fire(url, browses, clients))
        memory = rss_mb(proc.pid)
    print(f"{items:,} items, {clients} concurrent clients, {requests} requests each")
    for name, values, failed, goal in (
        ("search", search_ms, search_failed, "p95 < 20 ms"),
        ("browse page", browse_ms, browse_failed, "p99 < 20 ms"),
    ):
        print(f"{name:12} p50 {pct(values, 50):7.1f} ms  p95 {pct(values, 95):7.1f} ms"
              f"  p99 {pct(values, 99):7.1f} ms   (goal {goal})"
              f"  failed: {len(failed)} {sorted(set(failed))}")  # fmt: skip
    print(f"server RSS   {memory:.0f} MB (goal < 300 MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=50)
    args = parser.parse_args()
    server = os.environ.get("REVENGE_BENCH_DATABASE_URL")
    if server:
        os.environ["REVENGE_TEST_DATABASE_URL"] = server
    base = Path(tempfile.mkdtemp(prefix="revenge-bench-catalog-"))
    try:
        with postgres_server() as url, fresh_database(url, "revenge_bench") as db:
            run(db, base, args.items, args.requests, args.clients)
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
