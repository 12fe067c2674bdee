"""Search and browse latency on a 100,000-item catalogue, against a live server.

Loads synthetic movies, TV episodes and music tracks with realistic titles (bench/_catalog.py),
builds the search index, starts the server the way `revenge serve` does (uvicorn, zero-copy
wrapper, same logging) with a header test sign-in, and runs 50 concurrent clients. Prints
p50/p95/p99 for search (half the issue's examples, half titles being typed) and for a browse
page, and the server's resident memory. Goals (2 cores): search p95 < 20 ms, browse p99 <
20 ms, RSS < 300 MB.

Two runs of each: clients that wait a think time between requests (people using the server;
default 0.5 s mean, about 100 requests/s in all), then clients that never wait (the server's
saturated throughput; there latency is the queue: 50 clients / requests per second). Also
prints the share of searches answered from the server's remembered results (half the queries
are the issue's twelve examples, asked again and again), and the server's full garbage
collections during each run with the longest (each one pauses every request in flight).

    python bench/catalog.py [--items 100000] [--requests 3000] [--clients 50] [--think-ms 500]

Database: REVENGE_BENCH_DATABASE_URL or REVENGE_TEST_DATABASE_URL (a server URL; a scratch
database is created on it), else an embedded PostgreSQL. The clients (aiohttp) run in this
process, on the same cores as the server: figures include their cost.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")

import aiohttp
from bench._catalog import index_and_settle, load, searches_and_browses
from bench._common import scratch_database
from bench.stream import running

from revenge.infra.db import migrate
from revenge.testing.services import free_port

SERVE = """
import gc
import sys
import time
from revenge.app import create_app
from revenge.cli.main import _server
from revenge.config import load_settings
from revenge.infra import logs
from revenge.streaming.zerocopy import ZeroCopyApp
from revenge.testing.auth import HeaderAuthenticator

class SignIn:
    def __init__(self, app):
        self.app = app
    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            runtime = self.app.state.runtime
            if not isinstance(runtime.authenticator, HeaderAuthenticator):
                runtime.authenticator = HeaderAuthenticator()
        await self.app(scope, receive, send)

from revenge.infra import heap

# Every full collection's pause, in ms, appended to the file named by the second argument
# (when given: bench/catalog_pair.py gives none).
pauses = open(sys.argv[2] if len(sys.argv) > 2 else "/dev/null", "a", buffering=1)
started = [0.0]
def timed(phase, info):
    if info["generation"] != 2:
        return
    if phase == "start":
        started[0] = time.perf_counter()
    else:
        pauses.write(f"{(time.perf_counter() - started[0]) * 1000:.2f}\\n")
gc.callbacks.append(timed)

settings = load_settings()
settings.server.host, settings.server.port = "127.0.0.1", int(sys.argv[1])
logs.configure(settings.server.log_json)
app = heap.SettledOnStart(ZeroCopyApp(SignIn(create_app(settings, run_worker=False))))
# uvicorn configured as `revenge serve` configures it (no proxy-header middleware, ...).
_server(app, settings).run()
"""


async def fire(
    base: str, paths: list[str], clients: int, think_ms: float
) -> tuple[list[float], list[int], float]:
    """Latencies (ms) of `paths` over `clients` clients, the failures, and requests/s.

    Each client waits a think time between its requests, uniform in 0.5-1.5 x `think_ms`
    (0: none, every client always has a request in flight).
    """
    queue = list(reversed(paths))
    timings: list[float] = []
    failures: list[int] = []
    rng = random.Random(7)
    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(
        base, connector=connector, headers={"x-test-user": "admin"},
        timeout=aiohttp.ClientTimeout(total=30),
    ) as http:  # fmt: skip

        async def client() -> None:
            await asyncio.sleep(rng.uniform(0, think_ms) / 1000)
            while queue:
                path = queue.pop()
                start = time.perf_counter()
                async with http.get(path) as r:
                    await r.read()
                timings.append((time.perf_counter() - start) * 1000)
                if r.status != 200:
                    failures.append(r.status)
                if think_ms:
                    await asyncio.sleep(rng.uniform(0.5, 1.5) * think_ms / 1000)

        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(clients)))
    return timings, failures, len(paths) / (time.perf_counter() - started)


async def remembered(base: str) -> tuple[float, float]:
    """Searches answered from remembered results so far, and searches run (from /metrics)."""
    async with (
        aiohttp.ClientSession(base, headers={"x-test-user": "admin"}) as http,
        http.get("/metrics") as r,
    ):
        text = await r.text()
    found = {"hit": 0.0, "miss": 0.0}
    for line in text.splitlines():
        if line.startswith("revenge_search_results_lookups_total{"):
            found[line.split('"')[1]] = float(line.split()[-1])
    return found["hit"], found["miss"]


def pct(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run(db_url: str, base: Path, items: int, requests: int, clients: int, think_ms: float) -> None:
    migrate.upgrade(db_url)
    started = time.perf_counter()
    load(db_url, items)
    print(f"loaded {items:,} items in {time.perf_counter() - started:.1f} s", flush=True)
    env = {**os.environ, "REVENGE_DATABASE_URL": db_url, "REVENGE_DATA_DIR": str(base),
           "PYTHONPATH": f"{REPO_ROOT / 'src'}:{REPO_ROOT}"}  # fmt: skip
    started = time.perf_counter()
    index_and_settle(db_url, base)
    print(f"search rebuild: {time.perf_counter() - started:.1f} s", flush=True)
    port = free_port()
    searches, browses = searches_and_browses(requests)
    pause_log = base / "gc-pauses"
    pause_log.touch()
    cmd = [sys.executable, "-c", SERVE, str(port), str(pause_log)]
    proc_env = {**env, "PYTHONUNBUFFERED": "1"}
    results = []
    shares: list[float] = []
    pauses: list[list[float]] = []
    with running(cmd, port, proc_env) as proc:
        url = f"http://127.0.0.1:{port}"
        asyncio.run(fire(url, searches[:300] + browses[:300], clients, 0))  # warm up
        for think in (think_ms, 0.0):
            for name, paths in (("search", searches), ("browse page", browses)):
                before = asyncio.run(remembered(url))
                paused = len(pause_log.read_text().split())
                results.append((think, name, *asyncio.run(fire(url, paths, clients, think))))
                pauses.append([float(p) for p in pause_log.read_text().split()[paused:]])
                after = asyncio.run(remembered(url))
                if name == "search":
                    hits, runs = (a - b for a, b in zip(after, before, strict=True))
                    shares.append(100 * hits / (hits + runs) if hits + runs else 0.0)
        memory = rss_mb(proc.pid)
    print(f"{items:,} items, {clients} concurrent clients, {requests} requests of each kind")
    goals = {"search": "p95 < 20 ms", "browse page": "p99 < 20 ms"}
    for think, name, values, failed, rate in results:
        mode = f"think {think:.0f} ms" if think else "no think time"
        print(f"{mode:14} {name:12} p50 {pct(values, 50):7.1f} ms  p95 {pct(values, 95):7.1f} ms"
              f"  p99 {pct(values, 99):7.1f} ms  {rate:6.0f} req/s  (goal {goals[name]})"
              f"  failed: {len(failed)} {sorted(set(failed))}")  # fmt: skip
    print("server's full garbage collections (pauses every request in flight): " + ", ".join(
        f"{len(p)}, longest {max(p, default=0):.0f} ms" for p in pauses
    ) + " (in the order above)")  # fmt: skip
    print(
        "searches answered from remembered results: "
        + ", ".join(f"{share:.0f}%" for share in shares)
        + " (think time, no think time)"
    )
    print(f"server RSS   {memory:.0f} MB (goal < 300 MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--think-ms", type=float, default=500.0)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="revenge-bench-catalog-"))
    try:
        with scratch_database() as db:
            run(db, base, args.items, args.requests, args.clients, args.think_ms)
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
