"""HTTP behaviour every provider shares: rate limit, response cache, retries, typed errors,
and a circuit breaker that stops calling a provider that is down (see `breaker`)."""

from __future__ import annotations

import asyncio
import email.utils
import hashlib
import json
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from revenge.infra.cache import Cache
from revenge.metadata.breaker import BreakerPolicy, CircuitBreaker
from revenge.metadata.errors import (
    ProviderAuthError,
    ProviderError,
    ProviderNotFound,
    ProviderRateLimited,
    ProviderResponseError,
    ProviderUnavailable,
)
from revenge.metadata.ratelimit import Limit, RateLimiter

Params = Mapping[str, str | int | float | None]


@dataclass(frozen=True)
class ProviderPolicy:
    """How one provider is called."""

    name: str
    base_url: str
    limit: Limit
    cache_ttl: float = 86400.0
    timeout: float = 10.0
    max_retries: int = 3
    retry_base: float = 0.5
    max_retry_after: float = 60.0
    follow_redirects: bool = False
    headers: Mapping[str, str] = field(default_factory=dict)
    breaker: BreakerPolicy = field(default_factory=BreakerPolicy)


class ProviderHttp:
    """One provider's view of the shared `httpx.AsyncClient`."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        policy: ProviderPolicy,
        limiter: RateLimiter,
        cache: Cache | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        breaker: CircuitBreaker | None = None,
    ) -> None:
        self.client = client
        self.policy = policy
        self.limiter = limiter
        self.cache = cache
        self.breaker = breaker
        self._sleep = sleep
        self.requests_sent = 0
        self._in_flight: dict[str, asyncio.Future[bytes]] = {}

    @property
    def name(self) -> str:
        return self.policy.name

    async def get_json(
        self,
        path: str,
        params: Params | None = None,
        *,
        secret_params: Params | None = None,
        headers: Mapping[str, str] | None = None,
        cache: bool = True,
    ) -> Any:
        """GET a JSON document, from the cache when a fresh copy is there.

        Items identified side by side often ask the same thing at once (the episodes of one
        season, two copies of one film): while a cacheable request is on its way, the same
        request waits for its answer instead of being sent again (and spending the rate
        limit twice).
        """
        clean = {k: v for k, v in (params or {}).items() if v is not None}
        query = {**clean, **{k: v for k, v in (secret_params or {}).items() if v is not None}}
        if not (cache and self.cache is not None and self.policy.cache_ttl > 0):
            return _json(self.name, await self.request("GET", path, params=query, headers=headers))
        key = self._cache_key(path, clean)
        pending = self._in_flight.get(key)
        if pending is not None:
            return json.loads(await asyncio.shield(pending))
        future: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        self._in_flight[key] = future
        try:
            content = await self._cached_or_sent(path, query, headers, key)
        except BaseException as exc:
            # Waiters share the outcome; a cancelled sender (its job stopped) leaves them a
            # transient error, so their items are fetched again later.
            shared = (
                exc
                if isinstance(exc, Exception)
                else ProviderUnavailable(self.name, "the same request was cancelled")
            )
            future.set_exception(shared)
            future.exception()  # marked as retrieved: with no waiter, nothing is logged
            raise
        finally:
            del self._in_flight[key]
        future.set_result(content)
        return json.loads(content)

    async def _cached_or_sent(
        self, path: str, query: Params, headers: Mapping[str, str] | None, key: str
    ) -> bytes:
        """The raw answer from the cache, else from the provider (then cached)."""
        assert self.cache is not None
        hit = await self.cache.get(key)
        if hit is not None:
            return hit
        response = await self.request("GET", path, params=query, headers=headers)
        _json(self.name, response)  # an invalid answer raises here and is not cached
        await self.cache.set(key, response.content, self.policy.cache_ttl)
        return response.content

    async def post_json(
        self, path: str, body: Any, *, headers: Mapping[str, str] | None = None
    ) -> Any:
        """POST a JSON body (never cached) and read a JSON answer."""
        return _json(self.name, await self.request("POST", path, json_body=body, headers=headers))

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """Send with retries on 429/5xx/timeouts; map 401 and 404 to typed errors.

        With the provider's breaker open this fails at once (`ProviderCircuitOpen`); the
        trial call after a cool-down is sent once, without retries, so it decides quickly.
        """
        breaker, rules = self.breaker, self.policy.breaker
        trial = await breaker.before_call(self.name, rules) if breaker is not None else False
        retries = 0 if trial else self.policy.max_retries
        try:
            response = await self._send(method, path, params, json_body, headers, retries)
        except ProviderRateLimited:
            if breaker is not None:  # an answer: the provider is up, only busy
                await breaker.succeeded(self.name, rules)
            raise
        except ProviderUnavailable:
            if breaker is not None:
                await breaker.failed(self.name, rules)
            raise
        except ProviderError:
            if breaker is not None:  # 401, 404 and the like are answers
                await breaker.succeeded(self.name, rules)
            raise
        if breaker is not None:
            await breaker.succeeded(self.name, rules)
        return response

    async def _send(
        self,
        method: str,
        path: str,
        params: Params | None,
        json_body: Any,
        headers: Mapping[str, str] | None,
        retries: int,
    ) -> httpx.Response:
        url = path if path.startswith(("http://", "https://")) else self.policy.base_url + path
        merged = {**self.policy.headers, **(headers or {})}
        last: ProviderError = ProviderUnavailable(self.name, "no attempt made")
        for attempt in range(retries + 1):
            await self.limiter.acquire(self.name, self.policy.limit)
            self.requests_sent += 1
            try:
                # httpx's timeout bounds each network read, not the whole exchange: a server
                # trickling its answer a byte at a time would hold the job for ever. The
                # deadline covers connecting, sending and reading the complete body.
                async with asyncio.timeout(self.policy.timeout):
                    response = await self.client.request(
                        method,
                        url,
                        params=dict(params) if params else None,
                        json=json_body,
                        headers=merged,
                        timeout=self.policy.timeout,
                        follow_redirects=self.policy.follow_redirects,
                    )
            except (httpx.TimeoutException, TimeoutError):
                last, delay = ProviderUnavailable(self.name, "timed out"), self._backoff(attempt)
            except httpx.TransportError as exc:
                last = ProviderUnavailable(self.name, f"connection failed: {exc!r}")
                delay = self._backoff(attempt)
            else:
                if response.is_success:
                    return response
                last, delay = self._classify(response, attempt)
            if attempt == retries:
                break
            await self._sleep(delay)
        raise last

    def _classify(self, response: httpx.Response, attempt: int) -> tuple[ProviderError, float]:
        """An error to retry (with its delay), or raise one that retrying cannot fix."""
        status = response.status_code
        if status == 401:
            raise ProviderAuthError(self.name, "the API key was refused (HTTP 401)")
        if status == 404:
            raise ProviderNotFound(self.name, f"not found: {response.request.url.path}")
        if status == 429:
            wait = retry_after_seconds(response.headers.get("retry-after"))
            if wait is not None and wait > self.policy.max_retry_after:
                raise ProviderRateLimited(self.name, f"rate limited for {wait:.0f}s", wait)
            error = ProviderRateLimited(self.name, "rate limited (HTTP 429)", wait)
            return error, wait if wait is not None else self._backoff(attempt)
        if status >= 500:
            return ProviderUnavailable(self.name, f"HTTP {status}"), self._backoff(attempt)
        raise ProviderResponseError(self.name, f"unexpected HTTP {status}")

    def _backoff(self, attempt: int) -> float:
        base = self.policy.retry_base * (2.0**attempt)
        return base + random.uniform(0, base / 4)

    def _cache_key(self, path: str, params: Mapping[str, Any]) -> str:
        # The base URL is part of the key: a mirror (or another server) answers differently.
        url = path if path.startswith(("http://", "https://")) else self.policy.base_url + path
        canonical = url + "?" + "&".join(f"{k}={params[k]}" for k in sorted(params))
        digest = hashlib.sha256(canonical.encode()).hexdigest()[:32]
        return f"metadata:{self.name}:{digest}"


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _json(provider: str, response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        raise ProviderResponseError(provider, f"invalid JSON: {exc}") from None
