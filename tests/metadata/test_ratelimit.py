"""Rate limits: a sliding log per provider, shared across workers through Redis."""

from __future__ import annotations

import asyncio
import time

from revenge.metadata.ratelimit import Limit, MemoryRateLimiter, RedisRateLimiter
from revenge.testing.services import free_port


def test_limit_from_rate() -> None:
    assert Limit.per_second(1.0) == Limit(1, 1.0)
    assert Limit.per_second(20) == Limit(20, 1.0)
    assert Limit.per_second(0.5) == Limit(1, 2.0)


def _max_in_window(stamps: list[float], window: float) -> int:
    stamps = sorted(stamps)
    return max(sum(1 for t in stamps[i:] if t - s < window * 0.95) for i, s in enumerate(stamps))


async def _grab(
    limiter: MemoryRateLimiter | RedisRateLimiter, name: str, limit: Limit, n: int
) -> list[float]:
    stamps = []
    for _ in range(n):
        await limiter.acquire(name, limit)
        stamps.append(time.monotonic())
    return stamps


async def test_memory_limiter_never_exceeds_the_limit() -> None:
    limiter = MemoryRateLimiter()
    limit = Limit(3, 0.2)
    results = await asyncio.gather(*(_grab(limiter, "p", limit, 3) for _ in range(3)))
    stamps = [s for r in results for s in r]
    assert _max_in_window(stamps, 0.2) <= 3
    # Another provider has its own budget.
    start = time.monotonic()
    await _grab(limiter, "other", limit, 3)
    assert time.monotonic() - start < 0.15


async def test_redis_limiter_is_shared_by_workers(redis_url: str) -> None:
    name = f"test-{time.time_ns()}"
    workers = [
        RedisRateLimiter(redis_url, "revenge-test:"),
        RedisRateLimiter(redis_url, "revenge-test:"),
    ]
    limit = Limit(2, 0.25)
    try:
        results = await asyncio.gather(*(_grab(w, name, limit, 3) for w in workers))
    finally:
        for w in workers:
            await w.close()
    stamps = [s for r in results for s in r]
    assert len(stamps) == 6
    assert _max_in_window(stamps, 0.25) <= 2
    assert max(stamps) - min(stamps) >= 0.45  # six grants at two per 0.25 s


async def test_redis_down_falls_back_to_a_process_limit() -> None:
    count = 2
    limiter = RedisRateLimiter(f"redis://127.0.0.1:{free_port()}/0")
    try:
        stamps = await _grab(limiter, "p", Limit(count, 0.2), count * 2)
    finally:
        await limiter.close()
    assert _max_in_window(stamps, 0.2) <= count
