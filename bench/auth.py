"""Authentication speed: session validation (cached and not) and password sign-in.

    python bench/auth.py [--iterations 5000]

Uses REVENGE_TEST_DATABASE_URL / REVENGE_TEST_REDIS_URL when set, else an embedded
PostgreSQL and a private Redis. Goals: cached validate p99 < 0.5 ms (in process), uncached
p99 < 5 ms; sign-in time is the cost of the configured argon2id parameters.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from revenge.accounts.service import NewUser
from revenge.config import Settings
from revenge.identity.client import ClientInfo
from revenge.identity.tokens import cache_key, token_hash
from revenge.infra.db import migrate
from revenge.runtime import Runtime
from tests.support.services import fresh_database, postgres_server, redis_server

CLIENT = ClientInfo(ip="192.0.2.1", user_agent="bench")


async def timed(
    fn: Callable[[], Awaitable[object]], n: int, before: Callable[[], Awaitable[None]] | None = None
) -> list[float]:
    samples = []
    for _ in range(n):
        if before is not None:
            await before()
        start = time.perf_counter_ns()
        await fn()
        samples.append((time.perf_counter_ns() - start) / 1e6)
    return samples


def report(name: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(f"{name:<44} n={len(samples):>5}  p50={p50:8.3f} ms  p99={p99:8.3f} ms")


async def run(database_url: str, redis_url: str, iterations: int) -> None:
    settings = Settings(
        data_dir=Path(tempfile.mkdtemp(prefix="revenge-bench-")),
        database_url=database_url,
        redis_url=redis_url,
    )
    runtime = await Runtime.create(settings, apply_migrations=False)
    try:
        async with runtime.db.transaction() as session:
            await runtime.accounts.users.create(
                session, NewUser(username="bench", password="bench password 1")
            )

        async def login() -> str:
            async with runtime.db.transaction() as session:
                outcome = await runtime.accounts.logins.login(
                    session, "bench", "bench password 1", CLIENT
                )
            assert outcome.issued is not None
            return outcome.issued.access_token

        token = await login()
        sessions = runtime.accounts.sessions
        key = cache_key("session", token_hash(token))
        assert await sessions.validate(token) is not None

        async def validate() -> None:
            assert await sessions.validate(token) is not None

        async def drop_local() -> None:
            runtime.local_cache.evict(key)

        async def drop_all() -> None:
            await runtime.cache.delete(key)

        await timed(validate, 200)  # warm up
        report("validate, cached in process", await timed(validate, iterations))
        report("validate, cached in Redis only", await timed(validate, iterations // 5, drop_local))
        report("validate, uncached (database)", await timed(validate, iterations // 5, drop_all))
        auth = settings.auth
        print(
            f"argon2id m={auth.argon2_memory_kib} KiB t={auth.argon2_time_cost} "
            f"p={auth.argon2_parallelism}"
        )
        report("password sign-in (verify + session)", await timed(login, 30))
    finally:
        await runtime.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iterations", type=int, default=5000)
    args = parser.parse_args()
    with postgres_server() as server, fresh_database(server, "revenge_bench") as url:
        migrate.upgrade(url)
        with redis_server() as redis_url:
            asyncio.run(run(url, redis_url, args.iterations))


if __name__ == "__main__":
    main()
