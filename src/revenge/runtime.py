"""The composition root: every long-lived service of one process, built once at start."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from revenge import __version__
from revenge.activity.service import ActivityLog
from revenge.config import Settings
from revenge.events.service import EventService
from revenge.features import build_job_registry, collector
from revenge.identity.authenticator import Authenticator, NoAuthenticator
from revenge.infra.cache import Cache, MemoryCache, TieredCache
from revenge.infra.db import migrate
from revenge.infra.db.engine import Database
from revenge.infra.embedded_pg import EmbeddedPostgres
from revenge.infra.jobs.queue import JobQueue
from revenge.infra.jobs.registry import JobRegistry
from revenge.infra.metrics import CacheStats, Metrics
from revenge.infra.secrets import SecretBox
from revenge.metadata.provider_credentials.service import CredentialService
from revenge.notifications.service import NotificationService
from revenge.scanning.cleanup import purge_step
from revenge.server_settings.service import ServerSettingsService

if TYPE_CHECKING:
    from cachetools import TTLCache

    from revenge.events.live import LiveHub
    from revenge.images.jobs import ImageLinker
    from revenge.images.service import ImageService
    from revenge.infra.expiring import Expiring
    from revenge.metadata import MetadataFeature
    from revenge.playback.converter import AudioConverters
    from revenge.playback.node import PlaybackNode
    from revenge.search.index import SearchIndex
    from revenge.streaming.open_files import OpenFiles
    from revenge.streaming.signing import MediaSigner
    from revenge.wiring.accounts import Services as AccountServices

log = logging.getLogger(__name__)

CleanupStep = Callable[[AsyncSession], Awaitable[int]]
Closer = Callable[[], Awaitable[None]]


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
    secrets: SecretBox
    server_settings: ServerSettingsService
    activity: ActivityLog
    credentials: CredentialService
    notifications: NotificationService
    events: EventService
    version: str = __version__
    embedded: EmbeddedPostgres | None = None
    authenticator: Authenticator = field(default_factory=NoAuthenticator)
    cleanup_steps: list[CleanupStep] = field(default_factory=list)
    closers: list[Closer] = field(default_factory=list)
    # Users, sessions, access keys, OIDC (built by wiring.accounts.build).
    accounts: AccountServices = field(init=False)
    # Feature services: built by `build_services`, or by their feature on first use.
    metadata: MetadataFeature | None = None
    image_linker: ImageLinker | None = None
    images: ImageService | None = None
    search: SearchIndex | None = None
    live_hub: LiveHub | None = None
    media_signer: MediaSigner | None = None
    playback_node: PlaybackNode | None = None
    audio_converters: AudioConverters | None = None
    # Process-local memories of the streaming and subtitle routes.
    stream_grants: Expiring[Any, Any] | None = None
    open_files: OpenFiles | None = None
    subtitle_documents: TTLCache[str, bytes] | None = None
    subtitle_slots: asyncio.Semaphore | None = None

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
            await asyncio.to_thread(migrate.upgrade_if_behind, url)
        local = MemoryCache(settings.cache.local_max_entries, settings.cache.local_ttl_seconds)
        cache: Cache = local
        stats: CacheStats = local
        if settings.redis_url:
            tiered = TieredCache(settings.redis_url, local, settings.cache.redis_prefix)
            await tiered.start()
            cache = stats = tiered
        registry = build_job_registry(settings.jobs.extra_modules)
        db = Database(url, settings.database)
        jobs = JobQueue(registry)
        http = httpx.AsyncClient(timeout=httpx.Timeout(10.0, connect=5.0))
        box = SecretBox.from_config(settings.secret_keys, settings.key_file)
        runtime = cls(
            settings=settings,
            db=db,
            cache=cache,
            local_cache=local,
            registry=registry,
            jobs=jobs,
            http=http,
            metrics=Metrics(local, stats),
            secrets=box,
            server_settings=ServerSettingsService(db, settings),
            activity=ActivityLog(db, settings.activity),
            credentials=CredentialService(box, http, settings),
            notifications=NotificationService(box, jobs),
            events=EventService(),
            embedded=embedded,
        )
        runtime.build_services()
        await runtime._start_services()
        return runtime

    def build_services(self) -> None:
        """Build the feature services on top of the infrastructure."""
        from revenge.wiring.accounts import build as build_accounts
        from revenge.wiring.metadata import build as build_metadata

        self.accounts = build_accounts(self)
        build_metadata(self, collector())
        self.cleanup_steps.append(purge_step(self.settings.scanning, self.cache))

    async def _start_services(self) -> None:
        from revenge.activity.retention import retention_step

        await self.server_settings.start()
        await self.activity.start()
        self.cleanup_steps.append(retention_step(self))

    async def close(self) -> None:
        await self.accounts.close()
        for closer in reversed(self.closers):
            await closer()
        self.closers.clear()
        await self.activity.stop()
        await self.server_settings.close()
        await self.http.aclose()
        if isinstance(self.cache, TieredCache):
            await self.cache.close()
        await self.db.dispose()
        if self.embedded is not None:
            await asyncio.to_thread(self.embedded.stop)
