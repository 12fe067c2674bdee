"""Per-provider request rate limits, shared by every worker when Redis is configured.

Both limiters keep a sliding log of grant times (not a fixed window): a fixed window lets
twice the limit through around a window boundary, which MusicBrainz (1 request/s) punishes
with 503s. The Redis limiter runs the log as one Lua script on Redis' own clock, so workers
on machines with skewed clocks still share one budget. When Redis is unreachable the limiter
falls back to the in-process log: a provider call is never failed for want of Redis.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import math
import time
import uuid
from dataclasses import dataclass
from typing import Any, Protocol

import redis.asyncio as aioredis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    """At most `count` requests in any `window` seconds."""

    count: int
    window: float

    @classmethod
    def per_second(cls, rate: float) -> Limit:
        window = max(1.0, 1.0 / rate)
        return cls(max(1, math.floor(rate * window + 1e-9)), window)


class RateLimiter(Protocol):
    async def acquire(self, name: str, limit: Limit) -> None:
        """Wait until one more request to `name` fits in `limit`."""
        ...


class MemoryRateLimiter:
    """Sliding-log limiter for one process."""

    def __init__(self) -> None:
        self._grants: dict[str, collections.deque[float]] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def acquire(self, name: str, limit: Limit) -> None:
        lock = self._locks.setdefault(name, asyncio.Lock())
        async with lock:
            wait = self._try(name, limit)
            while wait > 0:
                await asyncio.sleep(wait)
                wait = self._try(name, limit)

    def _try(self, name: str, limit: Limit) -> float:
        grants = self._grants.setdefault(name, collections.deque())
        now = time.monotonic()
        while grants and grants[0] <= now - limit.window:
            grants.popleft()
        if len(grants) < limit.count:
            grants.append(now)
            return 0.0
        return grants[0] + limit.window - now


# KEYS[1] log key; ARGV window_ms, count, member. Returns 0 when granted, else ms to wait.
_SLIDING_LOG = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
"""


class RedisRateLimiter:
    """Sliding-log limiter in Redis, shared across processes and machines."""

    def __init__(self, redis_url: str, prefix: str = "revenge:") -> None:
        self._redis: aioredis.Redis = aioredis.from_url(
            redis_url, socket_timeout=0.5, socket_connect_timeout=0.5
        )
        self._script: Any = self._redis.register_script(_SLIDING_LOG)
        self._prefix = prefix + "ratelimit:"
        self._fallback = MemoryRateLimiter()
        self._down = False

    async def acquire(self, name: str, limit: Limit) -> None:
        while True:
            try:
                wait_ms = int(
                    await self._script(
                        keys=[self._prefix + name],
                        args=[int(limit.window * 1000), limit.count, uuid.uuid4().hex],
                    )
                )
            except (TimeoutError, RedisError, OSError) as exc:
                if not self._down:
                    log.warning("rate limiter: redis unavailable, limiting per process: %s", exc)
                self._down = True
                await self._fallback.acquire(name, limit)
                return
            self._down = False
            if wait_ms <= 0:
                return
            await asyncio.sleep(wait_ms / 1000)

    async def close(self) -> None:
        await self._redis.aclose()


def build_rate_limiter(redis_url: str | None, prefix: str) -> MemoryRateLimiter | RedisRateLimiter:
    """Redis-backed when the runtime has Redis, in-process otherwise."""
    return RedisRateLimiter(redis_url, prefix) if redis_url else MemoryRateLimiter()
