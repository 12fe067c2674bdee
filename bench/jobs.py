"""Job queue throughput: enqueue rate and end-to-end no-op jobs/s through one worker.

Run: `.venv/bin/python bench/jobs.py [N]` (uses REVENGE_BENCH_DATABASE_URL or
REVENGE_TEST_DATABASE_URL when set, else an embedded PostgreSQL).
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

from _common import scratch_database
from sqlalchemy import text

from revenge.config import Settings
from revenge.infra.db import migrate
from revenge.infra.jobs.worker import Worker
from revenge.runtime import Runtime
from revenge.testing import jobs_plugin


async def run(url: str, total: int) -> None:
    settings = Settings(
        data_dir=Path(tempfile.mkdtemp()),
        database_url=url,
        jobs={"batch_size": int(os.environ.get("BENCH_BATCH_SIZE", "50"))},  # type: ignore[arg-type]
    )
    runtime = await Runtime.create(settings, apply_migrations=False)
    jobs_plugin.register(runtime.registry)
    started = time.perf_counter()
    for offset in range(0, total, 1000):
        batch = [("testing.noop", {"n": i}, None) for i in range(offset, min(total, offset + 1000))]
        async with runtime.db.transaction() as session:
            await runtime.jobs.enqueue_many(session, batch)
    enqueue_s = time.perf_counter() - started
    print(
        f"enqueue: {total} jobs in {enqueue_s:.2f} s = {total / enqueue_s:,.0f} jobs/s "
        "(batches of 1000 in one transaction each)"
    )

    single = 500
    started = time.perf_counter()
    for i in range(single):
        async with runtime.db.transaction() as session:
            await runtime.jobs.enqueue(session, "testing.noop", {"n": i})
    single_s = time.perf_counter() - started
    print(f"enqueue: {single / single_s:,.0f} jobs/s one job per transaction")
    total += single

    worker = Worker(runtime, ("maintenance",))
    started = time.perf_counter()
    await worker.start()
    while True:
        async with runtime.db.sessions() as session:
            left = (await session.execute(text("SELECT count(*) FROM pgqueuer"))).scalar_one()
        if left == 0:
            break
        await asyncio.sleep(0.05)
    run_s = time.perf_counter() - started
    await worker.stop()
    print(
        f"end to end: {total} no-op jobs through one worker in {run_s:.2f} s = "
        f"{total / run_s:,.0f} jobs/s (batch size {settings.jobs.batch_size})"
    )
    await runtime.close()


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    with scratch_database() as url:
        migrate.upgrade(url)
        asyncio.run(run(url, total))


if __name__ == "__main__":
    main()
