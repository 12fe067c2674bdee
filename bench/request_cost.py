"""What one request costs the server: CPU microseconds per request, on a 100,000-item catalogue.

Latency and throughput benches (catalog.py, load.py, compat.py) run the clients, PostgreSQL
and the server on the same two cores, so their figures move with whatever else the machine
does. This one calls the application in-process, one request at a time, through its ASGI
interface (no HTTP client, no socket), and reads the process's own CPU clock: what it prints
is the server's Python cost of each kind of request, steady within a few percent on a busy
machine. PostgreSQL's own time is not in the CPU figure; the wall figure holds it too.

    python bench/request_cost.py [--items 100000] [--requests 500]

Database: REVENGE_BENCH_DATABASE_URL or REVENGE_TEST_DATABASE_URL (a server URL; a scratch
database is created on it), else an embedded PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from _common import scratch_database
from bench._catalog import Titles, index_and_settle, load, search_path, searches_and_browses

from revenge.infra.db import migrate

App = Callable[..., Any]


async def call(
    app: App, path: str, headers: list[tuple[bytes, bytes]] | None = None,
    body: list[bytes] | None = None,
) -> int:  # fmt: skip
    """One GET through the ASGI interface, as uvicorn makes it; the response status (and its
    body, into `body` when given). Without `headers`, the caller is the bench's administrator
    (the test header authenticator)."""
    target, _, query = path.partition("?")
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": target, "raw_path": target.encode(),
        "query_string": query.encode(), "root_path": "", "server": ("127.0.0.1", 8096),
        "client": ("127.0.0.1", 40000),
        "headers": [(b"host", b"127.0.0.1:8096"), (b"accept", b"application/json"),
                    *(headers if headers is not None else [(b"x-test-user", b"admin")])],
    }  # fmt: skip
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif body is not None and message["type"] == "http.response.body":
            body.append(message.get("body", b""))

    await app(scope, receive, send)
    return status


async def measure(app: App, paths: list[str]) -> tuple[float, float]:
    """Mean CPU and wall microseconds per request over `paths` after the first 20 (a warm-up)."""
    for path in paths[:20]:
        status = await call(app, path)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
    cpu, wall = time.process_time(), time.perf_counter()
    for path in paths[20:]:
        await call(app, path)
    count = len(paths) - 20
    return (time.process_time() - cpu) / count * 1e6, (time.perf_counter() - wall) / count * 1e6


def workloads(requests: int) -> dict[str, list[str]]:
    searches, browse = searches_and_browses(requests)
    # Titles as they are typed, each asked once: no search is answered from remembered results.
    titles = Titles(5)
    new = list(dict.fromkeys(titles.typed() for _ in range(requests * 3)))[: requests + 20]
    return {
        "health (no database)": ["/health/live"] * requests,
        "signed-in user (one read)": ["/api/v1/users/me"] * requests,
        "browse page (50 movies)": browse,
        "search (20 hits)": searches,
        "search, each query new": [search_path(q) for q in new],
    }


@asynccontextmanager
async def served_app() -> AsyncIterator[Any]:
    """The application as `revenge serve` builds it (no worker), started."""
    from revenge.app import create_app
    from revenge.config import load_settings
    from revenge.infra import heap

    app = create_app(load_settings(), run_worker=False)
    async with app.router.lifespan_context(app):
        heap.settle()  # as `revenge serve` does once started: left out of collections
        yield app


async def drive(requests: int) -> None:
    from revenge.testing.auth import HeaderAuthenticator

    async with served_app() as app:
        app.state.runtime.authenticator = HeaderAuthenticator()
        print(f"{'request':28} {'CPU us':>9} {'wall us':>9}")
        for name, paths in workloads(requests).items():
            cpu, wall = await measure(app, paths)
            print(f"{name:28} {cpu:9.0f} {wall:9.0f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="revenge-bench-cost-"))
    try:
        with scratch_database() as db:
            migrate.upgrade(db)
            load(db, args.items)
            os.environ |= {"REVENGE_DATABASE_URL": db, "REVENGE_DATA_DIR": str(base)}
            index_and_settle(db, base)
            asyncio.run(drive(args.requests))
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
