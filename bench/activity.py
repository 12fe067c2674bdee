"""Activity-log bench: buffered-writer throughput and query p99 at 10 million rows.

    python bench/activity.py [--rows 10000000] [--writes 200000]

Uses a scratch database on REVENGE_TEST_DATABASE_URL (default: the local PostgreSQL at
postgresql://postgres@127.0.0.1:5432/test), dropped afterwards. Goals: >= 20,000 entries/s
through the writer; p99 < 10 ms for "last 50 for a user" and "last 50 failures".
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from revenge.activity import repository as repo
from revenge.activity.service import ActivityLog
from revenge.config import ActivitySettings
from revenge.infra.db import migrate
from revenge.infra.db.engine import Database
from revenge.testing.services import fresh_database

SERVER = os.environ.get("REVENGE_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
USERS = 2000


async def bench_writer(db: Database, count: int) -> None:
    writer = ActivityLog(db, ActivitySettings())
    await writer.start()
    user = uuid.uuid4()
    started = time.perf_counter()
    for i in range(count):
        writer.log(
            "library", "update", user_id=user, resource_type="movie", resource_id=str(i),
            details={"field": "title"}, ip_address="192.0.2.1", user_agent="bench",
        )  # fmt: skip
        if i % 5000 == 0:
            await asyncio.sleep(0)  # let the writer run, as a busy server would
    logged = time.perf_counter() - started
    await writer.stop()
    total = time.perf_counter() - started
    print(f"log() call: {logged / count * 1e6:.2f} us each (request path)")
    print(f"buffered writer: {count} entries in {total:.2f} s = {count / total:,.0f} entries/s")


def fill(url: str, rows: int) -> list[uuid.UUID]:
    users = [uuid.uuid4() for _ in range(USERS)]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TEMP TABLE bench_users (n int, id uuid)")
        with conn.cursor().copy("COPY bench_users (n, id) FROM STDIN") as copy:
            for n, u in enumerate(users):
                copy.write_row((n, u))
        defs = [
            r[0]
            for r in conn.execute(
                "SELECT indexdef FROM pg_indexes WHERE tablename = 'activity_log'"
                " AND indexname <> 'pk_activity_log'"
            )
        ]
        names = [
            r[0]
            for r in conn.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'activity_log'"
                " AND indexname <> 'pk_activity_log'"
            )
        ]
        for name in names:
            conn.execute(f'DROP INDEX "{name}"')
        started = time.perf_counter()
        conn.execute(
            f"""INSERT INTO activity_log (user_id, module, action, resource_type, resource_id,
                details, ip_address, success, error, created_at)
            SELECT u.id, (ARRAY['auth','library','movie','settings','tv'])[1 + g % 5],
                (ARRAY['create','update','delete','login','scan'])[1 + (g / 7) % 5],
                'movie', (g % 100000)::text, '{{}}'::jsonb, '192.0.2.1',
                (g % 50) <> 0, CASE WHEN g % 50 = 0 THEN 'failed' END,
                now() - (g::float8 / {rows} * interval '90 days')
            FROM generate_series(1, {rows}) g JOIN bench_users u ON u.n = g % {USERS}"""
        )
        print(f"inserted {rows:,} rows in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        conn.execute("SET maintenance_work_mem = '512MB'")
        for ddl in defs:
            conn.execute(ddl)
        conn.execute("VACUUM ANALYZE activity_log")
        print(f"indexes + analyze in {time.perf_counter() - started:.1f} s")
    return users


def _pct(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


async def bench_queries(db: Database, users: list[uuid.UUID], runs: int = 500) -> None:
    cases = {
        "last 50 for a user": lambda: repo.ActivityFilter(user_id=random.choice(users)),
        "last 50 failures": lambda: repo.ActivityFilter(failures_only=True),
        "last 50 for a resource": lambda: repo.ActivityFilter(
            resource_type="movie", resource_id=str(random.randrange(100000))
        ),
    }
    async with db.sessions() as session:
        for name, make in cases.items():
            times = []
            for _ in range(runs + 20):
                f = make()
                started = time.perf_counter()
                rows = await repo.query(session, f, 50)
                times.append((time.perf_counter() - started) * 1000)
                assert rows
            times = times[20:]
            print(
                f"{name}: p50 {statistics.median(times):.2f} ms, p99 {_pct(times, 0.99):.2f} ms"
                f" ({runs} queries)"
            )


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--writes", type=int, default=200_000)
    args = parser.parse_args()
    with fresh_database(SERVER, "revenge_bench") as url:
        migrate.upgrade(url)
        db = Database(url)
        try:
            await bench_writer(db, args.writes)
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("TRUNCATE activity_log")
            users = await asyncio.to_thread(fill, url, args.rows)
            await bench_queries(db, users)
        finally:
            await db.dispose()


if __name__ == "__main__":
    asyncio.run(main())
