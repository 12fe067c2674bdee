"""Mixed HTTP workload against a live `revenge serve`: requests/s, latency per endpoint, memory.

Seeds a scratch database with a 100,000-item catalogue (bench/_catalog.py: movies, episodes,
tracks with realistic titles and a search index), posters linked to movies, and one account
per simulated user. Starts `revenge serve --no-worker` and runs U users for D seconds. Each
user signs in with its password (argon2id, as in production) before the clock starts, then
loops: picks an action by weight (browse a page, search, open a movie, load a poster variant,
report playback progress, now and then sign in again), waits a think time, repeats. Prints
requests/s, p50/p95/p99 per endpoint, the error count and the server's resident memory.
Goal (2 cores): zero errors, p99 < 50 ms for every endpoint.

    .venv/bin/python bench/load.py [--users 50] [--duration 60] [--items 100000] [--think-ms 500]

`--think-ms 0` removes the think time: every user always has a request in flight, which
measures the server's saturated throughput (latency is then the queue, users / req/s).
Database: REVENGE_BENCH_DATABASE_URL or REVENGE_TEST_DATABASE_URL (a server URL; a scratch
database is created on it), else an embedded PostgreSQL. Users (aiohttp) run in this
process, on the same cores as the server: figures include their cost.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import aiohttp
import httpx
import psycopg
from _common import REPO_ROOT, percentile, scratch_database

from revenge.testing.services import free_port

# The server runs this tree's code; seed and migrate with the same code.
sys.path.insert(0, str(REPO_ROOT / "src"))

from argon2 import PasswordHasher
from bench._catalog import index_and_settle, load, search_queries
from PIL import Image as PILImage

from revenge.config import AuthSettings
from revenge.images.processing import inspect_image
from revenge.images.store import ImageStore
from revenge.infra.db import migrate
from revenge.infra.storage import LocalStorage

PASSWORD = "load-test-password"
POSTERS = 200


@dataclass
class User:
    """One simulated person: their HTTP client, their session, what they look at."""

    name: str
    client: aiohttp.ClientSession
    rng: random.Random
    movies: list[str]
    images: list[str]
    queries: list[str]
    token: str = ""


Call = Callable[[User], Awaitable[int]]


async def send(u: User, method: str, path: str, **kw: Any) -> int:
    """The status of one request, its body read in full."""
    headers = {"authorization": f"Bearer {u.token}"} if u.token else {}
    async with u.client.request(method, path, headers=headers, **kw) as r:
        await r.read()
        return r.status


async def login(u: User) -> int:
    body = {"username": u.name, "password": PASSWORD}
    async with u.client.post("/api/v1/auth/login", json=body) as r:
        if r.status == 200:
            u.token = (await r.json())["access_token"]
        else:
            await r.read()
        return r.status


async def browse(u: User) -> int:
    sort = u.rng.choice(("title", "added", "year"))
    offset = u.rng.randrange(0, 2000)
    return await send(u, "GET", f"/api/v1/movies?sort={sort}&limit=50&offset={offset}")


async def search(u: User) -> int:
    params = {"q": u.rng.choice(u.queries), "limit": "20"}
    return await send(u, "GET", "/api/v1/search", params=params)


async def item_detail(u: User) -> int:
    return await send(u, "GET", f"/api/v1/movies/{u.rng.choice(u.movies)}")


async def image(u: User) -> int:
    width = u.rng.choice((160, 320))
    return await send(u, "GET", f"/api/v1/images/{u.rng.choice(u.images)}?width={width}")


async def progress(u: User) -> int:
    movie = u.rng.choice(u.movies[:50])
    body = {"position_seconds": u.rng.randrange(0, 5000)}
    return await send(u, "PATCH", f"/api/v1/items/movie/{movie}/state", json=body)


# (name, weight, call): what people do most is browse, search and open items.
ENDPOINTS: list[tuple[str, int, Call]] = [
    ("POST /auth/login", 1, login),
    ("GET /movies (browse)", 25, browse),
    ("GET /search", 25, search),
    ("GET /movies/{id}", 20, item_detail),
    ("GET /images/{id}", 20, image),
    ("PATCH /items/.../state", 9, progress),
]


def _poster(n: int) -> bytes:
    picture = PILImage.new("RGB", (600, 900), ((n * 37) % 256, (n * 91) % 256, (n * 53) % 256))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=85)
    return out.getvalue()


def seed(url: str, data_dir: Path, items: int, users: int) -> tuple[list[str], list[str]]:
    """Catalogue, posters of the first movies, accounts; (movie ids, image ids)."""
    load(url, items)
    store = ImageStore(LocalStorage(data_dir))
    auth = AuthSettings()
    hashed = PasswordHasher(auth.argon2_time_cost, auth.argon2_memory_kib,
                            parallelism=auth.argon2_parallelism).hash(PASSWORD)  # fmt: skip
    with psycopg.connect(url, autocommit=True) as conn:
        movies = [str(r[0]) for r in conn.execute("SELECT id FROM movies ORDER BY id LIMIT 5000")]
        images = []
        for n in range(POSTERS):
            facts = inspect_image(_poster(n), 50_000_000)
            asyncio.run(store.save_original(facts.content_hash, facts.format, _poster(n)))
            image_id = uuid.uuid4()
            conn.execute(
                "INSERT INTO images (id, content_hash, format, width, height, size_bytes,"
                " blurhash, dominant_color) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                (image_id, facts.content_hash, facts.format, facts.width, facts.height,
                 facts.size_bytes, facts.blurhash, facts.dominant_color),
            )  # fmt: skip
            conn.execute(
                "INSERT INTO item_images (item_kind, item_id, kind, image_id)"
                " VALUES ('movie', %s, 'poster', %s)", (movies[n], image_id),
            )  # fmt: skip
            images.append(str(image_id))
        with conn.cursor().copy("COPY users (username, role, password_hash) FROM STDIN") as copy:
            for n in range(users):
                copy.write_row((f"load{n}", "user", hashed))
        conn.execute("ANALYZE")
    return movies, images


def start_server(url: str, data_dir: Path, port: int, log: IO[bytes]) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "REVENGE_DATABASE_URL": url,
        "REVENGE_DATA_DIR": str(data_dir),
        "XDG_RUNTIME_DIR": "/tmp",
        "PYTHONPATH": os.pathsep.join([str(REPO_ROOT / "src"), str(REPO_ROOT)]),
    }
    # Test/bench variables share the REVENGE_ prefix but are not server settings.
    for name in ("REVENGE_REDIS_URL", "REVENGE_TEST_DATABASE_URL", "REVENGE_TEST_REDIS_URL",
                 "REVENGE_BENCH_DATABASE_URL"):  # fmt: skip
        env.pop(name, None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "revenge", "serve", "--no-worker", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            log.seek(0)
            raise RuntimeError("revenge serve exited during start-up:\n" + log.read().decode())
        time.sleep(0.05)
    raise RuntimeError("revenge serve not ready after 60 s")


def resident_mib(pid: int) -> tuple[float, float]:
    """(current, peak) resident memory of a process, from /proc."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, dict[str, int]] = field(default_factory=dict)

    def record(self, name: str, seconds: float, error: str | None) -> None:
        self.latencies.setdefault(name, []).append(seconds)
        if error is not None:
            counts = self.errors.setdefault(name, {})
            counts[error] = counts.get(error, 0) + 1


async def timed(user: User, name: str, call: Call, results: Results) -> None:
    started = time.perf_counter()
    try:
        status = await call(user)
        error = None if status < 400 else str(status)
    except (aiohttp.ClientError, TimeoutError) as exc:
        error = type(exc).__name__
    results.record(name, time.perf_counter() - started, error)


async def user_loop(user: User, until: float, think_ms: float, results: Results) -> None:
    names = [e[0] for e in ENDPOINTS]
    weights = [e[1] for e in ENDPOINTS]
    calls = {e[0]: e[2] for e in ENDPOINTS}
    await asyncio.sleep(user.rng.uniform(0, max(think_ms, 1)) / 1000)
    while time.monotonic() < until:
        name = user.rng.choices(names, weights)[0]
        await timed(user, name, calls[name], results)
        if think_ms:
            await asyncio.sleep(user.rng.uniform(0.5, 1.5) * think_ms / 1000)


def report(results: Results, seconds: float, pid: int, users: int, think_ms: float) -> None:
    total = sum(len(v) for v in results.latencies.values())
    errors = sum(sum(v.values()) for v in results.errors.values())
    mode = f"think time {think_ms:.0f} ms" if think_ms else "no think time"
    print(f"{users} users, {mode}, {seconds:.0f} s")
    print(f"requests: {total}  ({total / seconds:.0f} req/s)  errors: {errors}")
    print(f"{'endpoint':<26}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}  errors")
    for name, samples in sorted(results.latencies.items()):
        ms = [s * 1000 for s in samples]
        print(
            f"{name:<26}{len(ms):>7}{percentile(ms, 50):>9.2f}{percentile(ms, 95):>9.2f}"
            f"{percentile(ms, 99):>9.2f}  {results.errors.get(name, {}) or ''}"
        )
    rss, peak = resident_mib(pid)
    print(f"server resident memory: {rss:.0f} MiB (peak {peak:.0f} MiB)", flush=True)


async def drive(
    base: str, users: int, duration: float, think_ms: float, movies: list[str], images: list[str]
) -> tuple[Results, float]:
    results = Results()
    queries = search_queries(2000)
    timeout = aiohttp.ClientTimeout(total=30)
    clients = [
        aiohttp.ClientSession(base, connector=aiohttp.TCPConnector(limit=1), timeout=timeout)
        for _ in range(users)
    ]
    people = [
        User(f"load{n}", clients[n], random.Random(n), movies, images, queries)
        for n in range(users)
    ]
    try:
        # Everyone signs in before the clock starts: 50 argon2 checks at once are a start-up
        # burst, not the steady state; sign-ins during the run are measured.
        signed = await asyncio.gather(*(login(u) for u in people), return_exceptions=True)
        refused = [repr(s) for s in signed if s != 200]
        if refused:
            # Their requests will count as 401s: say why before the figures.
            print(f"{len(refused)} users could not sign in before the run: {refused}", flush=True)
        started = time.monotonic()
        until = started + duration
        await asyncio.gather(*(user_loop(u, until, think_ms, results) for u in people))
    finally:
        for client in clients:
            await client.close()
    return results, time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--think-ms", type=float, default=500.0)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="revenge-load-"))
    with scratch_database() as url:
        migrate.upgrade(url)
        started = time.perf_counter()
        movies, images = seed(url, data_dir, args.items, args.users)
        print(f"seeded {args.items:,} items, {POSTERS} posters, {args.users} accounts"
              f" in {time.perf_counter() - started:.1f} s", flush=True)  # fmt: skip
        index_and_settle(url, data_dir)
        port = free_port()
        with tempfile.TemporaryFile() as log:
            proc = start_server(url, data_dir, port, log)
            rss, _ = resident_mib(proc.pid)
            print(f"server resident memory when ready: {rss:.0f} MiB", flush=True)
            try:
                base = f"http://127.0.0.1:{port}"
                asyncio.run(drive(base, args.users, 5, 0, movies, images))  # warm up
                results, seconds = asyncio.run(
                    drive(base, args.users, args.duration, args.think_ms, movies, images)
                )
                report(results, seconds, proc.pid, args.users, args.think_ms)
            finally:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=60)


if __name__ == "__main__":
    main()
