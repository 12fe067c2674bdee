"""Per-provider circuit breakers, shared by every worker when Redis is configured.

A provider that times out, refuses connections or answers 5xx for `failures` calls in a row
(each call after its own retries) is taken as down for `cooldown` seconds: calls to it fail at
once with `ProviderCircuitOpen` instead of each waiting out its timeouts and retries, so a
batch of items finishes quickly and the other providers' work goes on. After the cool-down one
call is let through as a trial (half-open): an answer closes the breaker, a failure opens it for
another cool-down. Any HTTP answer other than 5xx (404, 401, 429) shows the provider is up.

The Redis breaker keeps one hash per provider and updates it in Lua scripts on Redis' clock,
so every worker sees the same state; when Redis is unreachable it falls back to an in-process
breaker (like the rate limiter): a provider call is never failed for want of Redis.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any, Protocol

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from revenge.metadata.errors import ProviderUnavailable

log = logging.getLogger(__name__)

# How long an unused breaker's state is kept (a failure count never reset by a success).
_STATE_TTL_SECONDS = 86400.0


@dataclass(frozen=True)
class BreakerPolicy:
    """Open after `failures` failed calls in a row (0: never), for `cooldown` seconds."""

    failures: int = 5
    cooldown: float = 60.0
    # A trial call's owner has this long to report before another caller may try.
    trial: float = 30.0

    @property
    def enabled(self) -> bool:
        return self.failures > 0


class ProviderCircuitOpen(ProviderUnavailable):
    """The provider is taken as down: the call was not made."""

    def __init__(self, provider: str, retry_after: float) -> None:
        super().__init__(
            provider,
            f"down (its last calls failed); not called for another {retry_after:.0f}s",
        )
        self.retry_after = retry_after


@dataclass(frozen=True)
class BreakerState:
    """What `revenge doctor` shows: open, half-open (trial due) or closed."""

    provider: str
    failures: int
    state: str
    seconds_left: float = 0.0


class CircuitBreaker(Protocol):
    async def before_call(self, name: str, policy: BreakerPolicy) -> bool:
        """Raise `ProviderCircuitOpen` when `name` is down; True when this call is the trial."""
        ...

    async def succeeded(self, name: str, policy: BreakerPolicy) -> None:
        """The provider answered: close its breaker."""
        ...

    async def failed(self, name: str, policy: BreakerPolicy) -> None:
        """The call failed for an outage: count it, open the breaker at the threshold."""
        ...


@dataclass
class _Local:
    failures: int = 0
    open_until: float = 0.0
    trial_until: float = 0.0


class MemoryCircuitBreaker:
    """Breaker state for one process."""

    def __init__(self) -> None:
        self._states: dict[str, _Local] = {}

    async def before_call(self, name: str, policy: BreakerPolicy) -> bool:
        state = self._states.get(name)
        if not policy.enabled or state is None or state.failures < policy.failures:
            return False
        now = time.monotonic()
        if now < state.open_until:
            raise ProviderCircuitOpen(name, state.open_until - now)
        if now < state.trial_until:
            raise ProviderCircuitOpen(name, state.trial_until - now)
        state.trial_until = now + policy.trial
        return True

    async def succeeded(self, name: str, policy: BreakerPolicy) -> None:
        state = self._states.pop(name, None)
        if state is not None and policy.enabled and state.failures >= policy.failures:
            log.info("metadata provider %s answers again; breaker closed", name)

    async def failed(self, name: str, policy: BreakerPolicy) -> None:
        if not policy.enabled:
            return
        state = self._states.setdefault(name, _Local())
        state.failures += 1
        if state.failures >= policy.failures:
            now = time.monotonic()
            if now >= state.open_until:
                _log_opened(name, state.failures, policy)
            state.open_until = now + policy.cooldown
            state.trial_until = 0.0

    def states(self) -> list[BreakerState]:
        now = time.monotonic()
        return [
            _describe(
                name, s.failures, s.open_until - now if s.open_until else None, s.trial_until - now
            )
            for name, s in sorted(self._states.items())
        ]


def _log_opened(name: str, failures: int, policy: BreakerPolicy) -> None:
    log.warning(
        "metadata provider %s taken as down after %d failed calls in a row; not called for %.0fs",
        name,
        failures,
        policy.cooldown,
    )


def _describe(name: str, failures: int, open_left: float | None, trial_left: float) -> BreakerState:
    """`open_left` is None while the breaker never opened (failures below the threshold)."""
    if open_left is None:
        return BreakerState(name, failures, "closed")
    if open_left > 0:
        return BreakerState(name, failures, "open", open_left)
    if trial_left > 0:
        return BreakerState(name, failures, "half-open (trial running)", trial_left)
    return BreakerState(name, failures, "half-open (next call is a trial)")


# KEYS[1] state hash; ARGV threshold, trial_ms. 0: closed; -1: this call is the trial;
# otherwise the ms until a call may be made.
_BEFORE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local failures = tonumber(redis.call('HGET', KEYS[1], 'failures') or '0')
if failures < tonumber(ARGV[1]) then return 0 end
local open_until = tonumber(redis.call('HGET', KEYS[1], 'open_until') or '0')
if now < open_until then return open_until - now end
local trial_until = tonumber(redis.call('HGET', KEYS[1], 'trial_until') or '0')
if now < trial_until then return trial_until - now end
redis.call('HSET', KEYS[1], 'trial_until', now + tonumber(ARGV[2]))
return -1
"""

# KEYS[1] state hash; ARGV threshold, cooldown_ms, ttl_ms. Returns 1 when this failure opened it.
_FAILED = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
local opened = 0
if failures >= tonumber(ARGV[1]) then
  local open_until = tonumber(redis.call('HGET', KEYS[1], 'open_until') or '0')
  if now >= open_until then opened = 1 end
  redis.call('HSET', KEYS[1], 'open_until', now + tonumber(ARGV[2]))
  redis.call('HDEL', KEYS[1], 'trial_until')
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {failures, opened}
"""

# KEYS[1] state hash. Returns the failure count the success ended.
_SUCCEEDED = """
local failures = tonumber(redis.call('HGET', KEYS[1], 'failures') or '0')
if failures > 0 then redis.call('DEL', KEYS[1]) end
return failures
"""

# KEYS[1] state hash. failures, ms the breaker stays open, ms the running trial may take.
_READ = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local failures = tonumber(redis.call('HGET', KEYS[1], 'failures') or '0')
local open_until = tonumber(redis.call('HGET', KEYS[1], 'open_until') or '0')
local trial_until = tonumber(redis.call('HGET', KEYS[1], 'trial_until') or '0')
return {failures, open_until - now, trial_until - now, open_until}
"""

_REDIS_ERRORS = (TimeoutError, RedisError, OSError)
# After Redis failed, it is left alone this long: an unreachable host costs a socket timeout
# per attempt, which every provider call would otherwise pay twice.
_REDIS_RETRY_SECONDS = 5.0


class RedisCircuitBreaker:
    """Breaker state in Redis, shared across processes and machines."""

    def __init__(self, redis_url: str, prefix: str = "revenge:") -> None:
        self._redis: aioredis.Redis = aioredis.from_url(
            redis_url, socket_timeout=0.5, socket_connect_timeout=0.5
        )
        self._before: Any = self._redis.register_script(_BEFORE)
        self._failed: Any = self._redis.register_script(_FAILED)
        self._succeeded: Any = self._redis.register_script(_SUCCEEDED)
        self._prefix = prefix + "breaker:"
        self._fallback = MemoryCircuitBreaker()
        self._down = False
        self._retry_at = 0.0

    def _key(self, name: str) -> str:
        return self._prefix + name

    def _lost(self, exc: BaseException) -> None:
        if not self._down:
            log.warning(
                "circuit breaker: redis unavailable, tracking providers per process: %s", exc
            )
        self._down = True
        self._retry_at = time.monotonic() + _REDIS_RETRY_SECONDS

    def _skip_redis(self) -> bool:
        return self._down and time.monotonic() < self._retry_at

    async def before_call(self, name: str, policy: BreakerPolicy) -> bool:
        if not policy.enabled:
            return False
        if self._skip_redis():
            return await self._fallback.before_call(name, policy)
        try:
            wait_ms = int(
                await self._before(
                    keys=[self._key(name)], args=[policy.failures, int(policy.trial * 1000)]
                )
            )
        except _REDIS_ERRORS as exc:
            self._lost(exc)
            return await self._fallback.before_call(name, policy)
        self._down = False
        if wait_ms > 0:
            raise ProviderCircuitOpen(name, wait_ms / 1000)
        return wait_ms < 0

    async def succeeded(self, name: str, policy: BreakerPolicy) -> None:
        await self._fallback.succeeded(name, policy)
        if not policy.enabled or self._skip_redis():
            return
        try:
            ended = int(await self._succeeded(keys=[self._key(name)]))
        except _REDIS_ERRORS as exc:
            self._lost(exc)
            return
        if ended >= policy.failures:
            log.info("metadata provider %s answers again; breaker closed", name)

    async def failed(self, name: str, policy: BreakerPolicy) -> None:
        if not policy.enabled:
            return
        if self._skip_redis():
            await self._fallback.failed(name, policy)
            return
        try:
            failures, opened = await self._failed(
                keys=[self._key(name)],
                args=[policy.failures, int(policy.cooldown * 1000), int(_STATE_TTL_SECONDS * 1000)],
            )
        except _REDIS_ERRORS as exc:
            self._lost(exc)
            await self._fallback.failed(name, policy)
            return
        if int(opened):
            _log_opened(name, int(failures), policy)

    async def close(self) -> None:
        await self._redis.aclose()


def read_breakers(
    redis_url: str, prefix: str = "revenge:", timeout: float = 2.0
) -> list[BreakerState]:
    """Every provider's shared breaker state, read synchronously (for `revenge doctor`)."""
    import redis

    client = redis.Redis.from_url(redis_url, socket_timeout=timeout, socket_connect_timeout=timeout)
    try:
        read = client.register_script(_READ)
        found = []
        for key in sorted(client.scan_iter(match=prefix + "breaker:*", count=100)):
            name = (key.decode() if isinstance(key, bytes) else str(key)).rpartition(":")[2]
            failures, open_ms, trial_ms, open_until = (int(v) for v in read(keys=[key]))
            open_left = open_ms / 1000 if open_until else None
            found.append(_describe(name, failures, open_left, trial_ms / 1000))
        return found
    finally:
        client.close()


def build_breaker(redis_url: str | None, prefix: str) -> MemoryCircuitBreaker | RedisCircuitBreaker:
    """Redis-backed when the runtime has Redis, in-process otherwise."""
    return RedisCircuitBreaker(redis_url, prefix) if redis_url else MemoryCircuitBreaker()


__all__ = [
    "BreakerPolicy",
    "BreakerState",
    "CircuitBreaker",
    "MemoryCircuitBreaker",
    "ProviderCircuitOpen",
    "RedisCircuitBreaker",
    "build_breaker",
    "read_breakers",
]
