"""Mixed HTTP workload against a live `revenge serve`: requests/s, latency per endpoint, memory.

Starts `revenge serve --no-worker` on a scratch database seeded with N synthetic rows, runs
U concurrent users (asyncio + httpx) for D seconds, each picking endpoints by weight, and
prints requests/s, p50/p95/p99 per endpoint, the error count and the server's resident memory.

Run: `.venv/bin/python bench/load.py [--users 50] [--duration 60] [--rows 100000]`
(uses REVENGE_BENCH_DATABASE_URL or REVENGE_TEST_DATABASE_URL when set, else an embedded
PostgreSQL). A new endpoint is one line in ENDPOINTS; a new kind of seed data, one function
in SEEDERS.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx
import psycopg
from _common import REPO_ROOT, percentile, scratch_database

from tests.support.services import free_port

# The server runs this tree's code; migrate the scratch database with the same code.
sys.path.insert(0, str(REPO_ROOT / "src"))

from revenge.infra.db import migrate


@dataclass
class User:
    """One simulated client: its HTTP client and whatever it learnt (tokens, ids)."""

    client: httpx.AsyncClient
    rng: random.Random
    state: dict[str, object] = field(default_factory=dict)


Call = Callable[[User], Awaitable[httpx.Response]]


async def health_live(u: User) -> httpx.Response:
    return await u.client.get("/health/live")


async def health_ready(u: User) -> httpx.Response:
    return await u.client.get("/health/ready")


async def system_info(u: User) -> httpx.Response:
    return await u.client.get("/api/v1/system/info")


async def metrics(u: User) -> httpx.Response:
    return await u.client.get("/metrics")


# (name, weight, call). Later: login, browse, search, item detail, image, progress update.
ENDPOINTS: list[tuple[str, int, Call]] = [
    ("GET /api/v1/system/info", 6, system_info),
    ("GET /health/ready", 3, health_ready),
    ("GET /health/live", 2, health_live),
    ("GET /metrics", 1, metrics),
]


def seed_users(conn: psycopg.Connection[tuple[object, ...]], rows: int) -> None:
    conn.execute(
        "INSERT INTO users (username, role) SELECT 'user' || g, 'user'"
        " FROM generate_series(1, %s) AS g",
        (rows,),
    )


# Each seeder fills one kind of synthetic row; catalogue items will join this list.
SEEDERS: list[Callable[[psycopg.Connection[tuple[object, ...]], int], None]] = [seed_users]


def seed(url: str, rows: int) -> float:
    started = time.perf_counter()
    with psycopg.connect(url) as conn:
        for seeder in SEEDERS:
            seeder(conn, rows)
        conn.execute("ANALYZE")
    return time.perf_counter() - started


def start_server(url: str, port: int, log: IO[bytes]) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "REVENGE_DATABASE_URL": url,
        "REVENGE_DATA_DIR": tempfile.mkdtemp(prefix="revenge-load-"),
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
    errors: dict[str, int] = field(default_factory=dict)


async def user_loop(base: str, seed_no: int, until: float, results: Results) -> None:
    names = [e[0] for e in ENDPOINTS]
    weights = [e[1] for e in ENDPOINTS]
    calls = {e[0]: e[2] for e in ENDPOINTS}
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        user = User(client, random.Random(seed_no))
        while time.monotonic() < until:
            name = user.rng.choices(names, weights)[0]
            started = time.perf_counter()
            try:
                ok = (await calls[name](user)).status_code < 400
            except httpx.HTTPError:
                ok = False
            results.latencies.setdefault(name, []).append(time.perf_counter() - started)
            if not ok:
                results.errors[name] = results.errors.get(name, 0) + 1


def report(results: Results, seconds: float, pid: int, users: int, rows: int) -> None:
    total = sum(len(v) for v in results.latencies.values())
    errors = sum(results.errors.values())
    print(f"{users} users, {seconds:.0f} s, {rows} synthetic rows")
    print(f"requests: {total}  ({total / seconds:.0f} req/s)  errors: {errors}")
    print(f"{'endpoint':<28}{'n':>8}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'errors':>8}")
    for name, samples in sorted(results.latencies.items()):
        ms = [s * 1000 for s in samples]
        print(
            f"{name:<28}{len(ms):>8}{percentile(ms, 50):>10.2f}{percentile(ms, 95):>10.2f}"
            f"{percentile(ms, 99):>10.2f}{results.errors.get(name, 0):>8}"
        )
    rss, peak = resident_mib(pid)
    print(f"server resident memory: {rss:.0f} MiB (peak {peak:.0f} MiB)")


async def drive(base: str, users: int, duration: float) -> tuple[Results, float]:
    results = Results()
    started = time.monotonic()
    until = started + duration
    await asyncio.gather(*(user_loop(base, i, until, results) for i in range(users)))
    return results, time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with scratch_database() as url:
        migrate.upgrade(url)
        print(f"seeded {args.rows} rows per seeder in {seed(url, args.rows):.1f} s")
        port = free_port()
        with tempfile.TemporaryFile() as log:
            proc = start_server(url, port, log)
        try:
            results, seconds = asyncio.run(
                drive(f"http://127.0.0.1:{port}", args.users, args.duration)
            )
            report(results, seconds, proc.pid, args.users, args.rows)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=60)


if __name__ == "__main__":
    main()
