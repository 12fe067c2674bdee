"""Events: live-update fan-out over two server processes, and what notifications cost a scan.

1. Fan-out: two `revenge serve --no-worker` processes on one database (and Redis when one is
   named, else PostgreSQL LISTEN/NOTIFY), C Server-Sent Events clients split between them
   (aiohttp, in this process). Each round changes a setting through the first node and times
   how long until every client has its `settings.changed` event. Prints delivered/expected and
   p50/p95/p99 latency over every (client, event). Goal: all delivered, p99 < 200 ms.
2. A scan adding 500 episodes of 20 series to a TV library, with notifications on (5 webhook
   channels on a loopback server and 3 users subscribed by email through a local SMTP server,
   the outbox relay running) and off (no channels, no subscribers, no relay), alternated over
   R rounds on fresh trees; a job worker (which runs scans, and delivers) runs in both. Prints
   the `item.added` notifications each subscriber received per scan (goal: exactly 1 batch)
   and the scan times (median, and best run: the least disturbed by other load on a shared
   machine). Goal: on within 5% of off.

    .venv/bin/python bench/events.py [--clients 1000] [--rounds 10] [--scan-rounds 5]

Database: REVENGE_BENCH_DATABASE_URL or REVENGE_TEST_DATABASE_URL (a server URL; a scratch
database is created on it), else an embedded PostgreSQL. Redis: REVENGE_BENCH_REDIS_URL or
REVENGE_TEST_REDIS_URL when set (`--no-redis` to use PostgreSQL NOTIFY anyway).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp
from _common import REPO_ROOT, percentile, scratch_database

sys.path.insert(0, str(REPO_ROOT / "src"))

from bench._events_scan import scan_bench

from revenge.infra.db import migrate
from revenge.testing.cluster import run_cluster

PASSWORD = "bench-events-password"
MARK = b"\nevent: settings.changed\n"


async def _client(
    session: aiohttp.ClientSession, url: str, token: str, ready: asyncio.Event,
    arrivals: list[list[float]], index: int, waiting: list[int],
) -> None:  # fmt: skip
    headers = {"Authorization": f"Bearer {token}"}
    async with session.get(f"{url}/api/v1/events", headers=headers) as response:
        assert response.status == 200, response.status
        mine = arrivals[index]
        # Chunks, not lines: the server writes each message at once, and line-by-line
        # parsing of 1,000 streams in this process would take the cores it is measuring.
        tail = b""
        async for chunk in response.content.iter_any():
            now = time.perf_counter()
            text = tail + chunk
            if not tail and text.startswith(b": connected"):
                waiting[0] -= 1
                if waiting[0] == 0:
                    ready.set()
            mine.extend([now] * text.count(MARK))
            tail = text[-len(MARK) :] if not text.endswith(b"\n\n") else b"\n"


async def _fanout(urls: list[str], clients: int, rounds: int) -> None:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None)) as http:
        setup = {"username": "admin", "password": PASSWORD}
        async with http.post(f"{urls[0]}/api/v1/setup", json=setup) as resp:
            assert resp.status in (200, 201), await resp.text()
        async with http.post(f"{urls[0]}/api/v1/auth/login", json=setup) as resp:
            token = (await resp.json())["access_token"]
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(
            connector=connector, timeout=aiohttp.ClientTimeout(total=None)
        ) as streams:
            ready, waiting = asyncio.Event(), [clients]
            arrivals: list[list[float]] = [[] for _ in range(clients)]
            tasks = [
                asyncio.create_task(
                    _client(streams, urls[i % len(urls)], token, ready, arrivals, i, waiting)
                )
                for i in range(clients)
            ]
            started = time.perf_counter()
            await asyncio.wait_for(ready.wait(), 120)
            print(f"connected {clients} clients in {time.perf_counter() - started:.1f} s")
            sent, answered = await _rounds(http, urls[0], token, arrivals, rounds)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
    latencies = [
        (got[n] - at) * 1000 for got in arrivals for n, at in enumerate(sent) if n < len(got)
    ]
    expected = clients * rounds
    firsts = [(min(got[n] for got in arrivals if n < len(got)) - at) * 1000
              for n, at in enumerate(sent)]  # fmt: skip
    print(f"events delivered:          {len(latencies)} / {expected}")
    print(
        f"change request answered:   median {statistics.median(answered):.1f} ms;"
        f" first client reached after median {statistics.median(firsts):.1f} ms"
    )
    print(
        f"latency (request -> every client): p50 {percentile(latencies, 50):.1f} ms"
        f"  p95 {percentile(latencies, 95):.1f} ms  p99 {percentile(latencies, 99):.1f} ms"
        f"  max {max(latencies):.1f} ms  (goal p99 < 200 ms)"
    )


async def _rounds(
    http: aiohttp.ClientSession, url: str, token: str, arrivals: list[list[float]], rounds: int
) -> tuple[list[float], list[float]]:
    sent: list[float] = []
    answered: list[float] = []
    headers = {"Authorization": f"Bearer {token}"}
    for n in range(rounds):
        sent.append(time.perf_counter())
        async with http.put(
            f"{url}/api/v1/admin/settings/server.name", json={"value": f"Den {n}"},
            headers=headers,
        ) as resp:  # fmt: skip
            assert resp.status == 200, await resp.text()
        answered.append((time.perf_counter() - sent[-1]) * 1000)
        deadline = time.perf_counter() + 10
        while any(len(a) <= n for a in arrivals) and time.perf_counter() < deadline:
            await asyncio.sleep(0.005)
        await asyncio.sleep(0.2)
    return sent, answered


def fanout(db_url: str, redis_url: str | None, clients: int, rounds: int) -> None:
    common = {"REVENGE_DATABASE_URL": db_url}
    if redis_url:
        common["REVENGE_REDIS_URL"] = redis_url
        common["REVENGE_CACHE__REDIS_PREFIX"] = f"bench-events-{uuid.uuid4().hex[:8]}:"
    print(f"bus: {'Redis pub/sub' if redis_url else 'PostgreSQL LISTEN/NOTIFY'}")
    with (
        tempfile.TemporaryDirectory(prefix="revenge-bench-events-") as tmp,
        run_cluster(Path(tmp), common, apis=2, workers=0, timeout=120) as cluster,
    ):
        urls = [str(node.url) for node in cluster.apis]
        asyncio.run(_fanout(urls, clients, rounds))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--scan-rounds", type=int, default=5)
    parser.add_argument("--no-redis", action="store_true")
    parser.add_argument("--skip-fanout", action="store_true")
    parser.add_argument("--skip-scan", action="store_true")
    args = parser.parse_args()
    redis = None
    if not args.no_redis:
        redis = os.environ.get("REVENGE_BENCH_REDIS_URL") or os.environ.get(
            "REVENGE_TEST_REDIS_URL"
        )
    if not args.skip_fanout:
        with scratch_database() as db:
            migrate.upgrade(db)
            fanout(db, redis, args.clients, args.rounds)
    if not args.skip_scan:
        with scratch_database() as db:
            migrate.upgrade(db)
            times = asyncio.run(scan_bench(db, args.scan_rounds))
        off, on = statistics.median(times["off"]), statistics.median(times["on"])
        print(f"scan, notifications off:   median {off:.3f} s  {_list(times['off'])}")
        print(f"scan, notifications on:    median {on:.3f} s  {_list(times['on'])}")
        print(f"difference of medians:     {(on / off - 1) * 100:+.1f}% (goal within 5%)")
        best_off, best_on = min(times["off"]), min(times["on"])
        print(
            f"difference of best runs:   {(best_on / best_off - 1) * 100:+.1f}%"
            f" ({best_off:.3f} s off, {best_on:.3f} s on; the least disturbed by other load)"
        )


def _list(values: list[float]) -> str:
    return "(" + ", ".join(f"{v:.3f}" for v in values) + ")"


if __name__ == "__main__":
    main()
