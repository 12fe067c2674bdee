"""In-process tier in front of Redis, with cross-node invalidation over pub/sub.

Redis being down never fails a caller: reads fall through (a miss sends the caller to the
database), writes are dropped, and the failure is logged once until Redis answers again.
While the invalidation channel is down, the local tier is bypassed entirely, because another
node's deletes could not reach us: a stale local entry must never outlive a revocation.

A value found in Redis is kept in the local tier too (for what is left of its Redis TTL), so
every node answers repeated lookups from memory, not only the node that wrote the value. A
delete racing that read cannot leave a stale copy: its broadcast is published after Redis
answered the read, so it is either handled before the copy is stored (the eviction count has
moved and nothing is stored) or after (and evicts the copy).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from revenge.infra.cache.memory import MemoryCache

log = logging.getLogger(__name__)

INVALIDATION_CHANNEL = "revenge:cache:invalidate"
_RETRY_SECONDS = 1.0
_REDIS_ERRORS = (RedisError, OSError, asyncio.TimeoutError)


class TieredCache:
    """Memory tier (per process) + Redis tier (shared); deletes are broadcast to all nodes."""

    def __init__(self, redis_url: str, local: MemoryCache, prefix: str = "revenge:") -> None:
        self._redis: aioredis.Redis = aioredis.from_url(
            redis_url, socket_timeout=0.5, socket_connect_timeout=0.5, health_check_interval=5
        )
        self.local = local
        self._prefix = prefix
        self._healthy = False
        self._down_since: float | None = None
        self._listener: asyncio.Task[None] | None = None
        self._subscribed = asyncio.Event()
        self._closing = False
        # Bumped on every eviction broadcast received and every clear of the local tier.
        self._evictions = 0
        # Lookups answered by either tier, and lookups that missed both (for metrics).
        self.hits = 0
        self.misses = 0

    async def start(self) -> None:
        self._listener = asyncio.create_task(self._listen(), name="cache-invalidation")
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._subscribed.wait(), timeout=2.0)

    async def close(self) -> None:
        self._closing = True
        if self._listener is not None:
            self._listener.cancel()
            # redis-py can swallow a cancellation inside a read; the flag ends the loop anyway.
            await asyncio.wait([self._listener], timeout=2.0)
        await self._redis.aclose()

    async def get(self, key: str) -> bytes | None:
        if self._healthy:
            value = self.local.get_now(key)
            if value is not None:
                self.hits += 1
                return value
        evictions = self._evictions
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                pipe.get(self._prefix + key)
                pipe.pttl(self._prefix + key)
                raw, ttl_ms = await pipe.execute()
        except _REDIS_ERRORS as exc:
            self._mark_down(exc)
            raw, ttl_ms = None, 0
        if raw is None:
            self.misses += 1
            return None
        self.hits += 1
        value = bytes(raw)
        if self._healthy and self._evictions == evictions and ttl_ms > 0:
            self.local.set_now(key, value, ttl_ms / 1000)
        return value

    async def set(self, key: str, value: bytes, ttl_seconds: float) -> None:
        try:
            await self._redis.set(self._prefix + key, value, px=max(int(ttl_seconds * 1000), 1))
        except _REDIS_ERRORS as exc:
            self._mark_down(exc)
            return
        if self._healthy:
            self.local.set_now(key, value, ttl_seconds)

    async def delete(self, *keys: str) -> None:
        """Delete locally, in Redis, and on every node; never raises."""
        if not keys:
            return
        self.local.evict(*keys)
        try:
            await self._redis.delete(*(self._prefix + k for k in keys))
            await self._redis.publish(INVALIDATION_CHANNEL, "\n".join(keys))
        except _REDIS_ERRORS as exc:
            self._mark_down(exc)

    async def status(self) -> str:
        try:
            await self._redis.ping()
        except _REDIS_ERRORS as exc:
            self._mark_down(exc)
            return "degraded"
        return "ok" if self._healthy else "degraded"

    async def _listen(self) -> None:
        """Keep a pub/sub subscription alive; evict what other nodes delete."""
        while not self._closing:
            try:
                await self._listen_once()
            except Exception as exc:  # the listener must outlive any connection failure
                self._mark_down(exc)
            await asyncio.sleep(_RETRY_SECONDS)

    async def _listen_once(self) -> None:
        pubsub = self._redis.pubsub()
        try:
            await pubsub.subscribe(INVALIDATION_CHANNEL)
            # Entries cached before the outage may have missed deletes: start clean.
            self._clear_local()
            self._mark_up()
            self._subscribed.set()
            while not self._closing:
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
                if message is None:
                    await pubsub.ping()
                    if not self._healthy:
                        # A failure seen on another connection while this subscription stayed
                        # up: nothing was missed after the clear in _mark_down, so trust again.
                        self._mark_up()
                    continue
                if message["type"] != "message":  # the answer to our ping
                    continue
                data = message["data"]
                keys = (data.decode() if isinstance(data, bytes) else str(data)).split("\n")
                self._evictions += 1
                self.local.evict(*keys)
        finally:
            with contextlib.suppress(*_REDIS_ERRORS):
                # Typed from redis-py 8.2 on, untyped before: through Any, both check.
                untyped: Any = pubsub
                await untyped.aclose()

    def _clear_local(self) -> None:
        self._evictions += 1
        self.local.clear()

    def _mark_down(self, exc: BaseException) -> None:
        self._healthy = False
        self._clear_local()
        if self._down_since is None:
            self._down_since = time.monotonic()
            log.warning("redis unavailable, using the database directly: %s", exc)

    def _mark_up(self) -> None:
        if self._down_since is not None:
            log.info("redis reachable again")
        self._down_since = None
        self._healthy = True
