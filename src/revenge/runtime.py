"""The composition root: every long-lived service of one process, built once at start."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from revenge import __version__
from revenge.api.auth import Authenticator, NoAuthenticator
from revenge.config import Settings
from revenge.infra.cache import Cache, MemoryCache, TieredCache
from revenge.infra.db import migrate
from revenge.infra.db.engine import Database
from revenge.infra.embedded_pg import EmbeddedPostgres
from revenge.infra.jobs.catalog import build_registry
from revenge.infra.jobs.queue import JobQueue
from revenge.infra.jobs.registry import JobRegistry
from revenge.infra.metrics import CacheStats, Metrics

log = logging.getLogger(__name__)

CleanupStep = Callable[[AsyncSession], Awaitable[int]]


@dataclass
class Runtime:
    settings: Settings
    db: Database
    cache: Cache
    local_cache: MemoryCache
    registry: JobRegistry
    jobs: JobQueue
    http: httpx.AsyncClient
    metrics: Metrics
    version: str = __version__
    embedded: EmbeddedPostgres | None = None
    authenticator: Authenticator = field(default_factory=NoAuthenticator)
    cleanup_steps: list[CleanupStep] = field(default_factory=list)
    services: dict[str, Any] = field(default_factory=dict)

    @classmethod
    async def create(cls, settings: Settings, *, apply_migrations: bool = True) -> Runtime:
        """Connect to (or start) PostgreSQL, migrate, and build the services."""
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        embedded = None
        url = settings.database_url
        if url is None:
            embedded = EmbeddedPostgres(settings.data_dir)
            url = await asyncio.to_thread(embedded.start)
        if apply_migrations:
            await asyncio.to_thread(migrate.upgrade, url)
        local = MemoryCache(settings.cache.local_max_entries, settings.cache.local_ttl_seconds)
        cache: Cache = local
        stats: CacheStats = local
        if settings.redis_url:
            tiered = TieredCache(settings.redis_url, local, settings.cache.redis_prefix)
            await tiered.start()
            cache = stats = tiered
        registry = build_registry(settings.jobs.extra_modules)
        return cls(
            settings=settings,
            db=Database(url, settings.database),
            cache=cache,
            local_cache=local,
            registry=registry,
            jobs=JobQueue(registry),
            http=httpx.AsyncClient(timeout=httpx.Timeout(10.0, connect=5.0)),
            metrics=Metrics(local, stats),
            embedded=embedded,
        )

    async def close(self) -> None:
        await self.http.aclose()
        if isinstance(self.cache, TieredCache):
            await self.cache.close()
        await self.db.dispose()
        if self.embedded is not None:
            await asyncio.to_thread(self.embedded.stop)
