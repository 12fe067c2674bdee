"""Metadata: providers (TMDb, TheTVDB, MusicBrainz, NFO, embedded tags), matching, merging.

`install(runtime, keys, writer)` builds the feature and sets `runtime.metadata`; the
`metadata.*` jobs find it there.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from revenge.metadata.breaker import CircuitBreaker, build_breaker
from revenge.metadata.kinds import ProviderKind
from revenge.metadata.protocols import KeySource
from revenge.metadata.ratelimit import RateLimiter, build_rate_limiter
from revenge.metadata.registry import build_provider_registry
from revenge.metadata.service import MetadataService
from revenge.metadata.writer import CatalogWriter

if TYPE_CHECKING:
    from revenge.runtime import Runtime


@dataclass
class MetadataFeature:
    service: MetadataService
    writer: CatalogWriter
    limiter: RateLimiter
    breaker: CircuitBreaker
    # Items being identified at once in this process, over all its metadata jobs.
    slots: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(32))


def install(
    runtime: Runtime, keys: KeySource, writer: CatalogWriter, kinds: Sequence[ProviderKind]
) -> MetadataFeature:
    """Build providers for `kinds` over the runtime's HTTP client and cache; rate limits and
    breakers are shared through Redis."""
    settings = runtime.settings
    limiter = build_rate_limiter(settings.redis_url, settings.cache.redis_prefix)
    breaker = build_breaker(settings.redis_url, settings.cache.redis_prefix)
    registry = build_provider_registry(
        settings.metadata, runtime.http, limiter, keys, runtime.cache, breaker, kinds
    )
    service = MetadataService(registry, settings.metadata)
    slots = asyncio.Semaphore(settings.metadata.fetch_concurrency)
    feature = MetadataFeature(service, writer, limiter, breaker, slots)
    runtime.metadata = feature
    return feature
