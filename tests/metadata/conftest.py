"""Helpers for provider tests: static keys, recorded retry sleeps, a loopback API server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from typing import Any

import httpx
import pytest

from revenge.config import MetadataSettings
from revenge.infra.cache import MemoryCache
from revenge.metadata.breaker import CircuitBreaker
from revenge.metadata.http import ProviderHttp
from revenge.metadata.ratelimit import Limit, MemoryRateLimiter
from revenge.metadata.registry import provider_policies
from revenge.testing.fake_api import FakeApi, fake_api
from tests.support.actors import actors, test_auth


class Sleeps:
    """Records retry delays instead of sleeping, so retry tests are exact and fast."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture
def api() -> Iterator[FakeApi]:
    with fake_api() as server:
        yield server


@pytest.fixture
async def http_client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


def provider_http(
    client: httpx.AsyncClient,
    name: str,
    base_url: str,
    *,
    sleeps: Sleeps | None = None,
    cache: MemoryCache | None = None,
    circuit: CircuitBreaker | None = None,
    **overrides: Any,
) -> ProviderHttp:
    """The provider's real policy from settings, pointed at the loopback server."""
    settings = MetadataSettings()
    # Real limits are tested on their own; here they would only slow the suite down.
    overrides.setdefault("limit", Limit(1000, 1.0))
    policy = replace(provider_policies(settings)[name], base_url=base_url, **overrides)
    return ProviderHttp(
        client, policy, MemoryRateLimiter(), cache, sleep=sleeps or Sleeps(), breaker=circuit
    )


__all__ = ["actors", "test_auth"]
