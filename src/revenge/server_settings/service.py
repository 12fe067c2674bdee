"""Server settings: resolution stored > config/environment > default, cached per node.

Every node keeps the stored values in memory and drops them when any node announces a change
(PostgreSQL NOTIFY or Redis pub/sub, see `bus.py`). Both announcements are out before the
request that made the change is answered (NOTIFY at commit, the Redis publish is awaited by
the transaction's owner), so the other nodes have dropped their copies by the time the client
can ask them. As a safety net for lost announcements the copy is also refreshed every 30 seconds.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.config import Settings
from revenge.infra.db.engine import Database
from revenge.infra.db.hooks import after_commit, after_commit_task
from revenge.infra.http import Allowlist
from revenge.server_settings import repository as repo
from revenge.server_settings.bus import ChangeListener
from revenge.server_settings.registry import REGISTRY, InvalidSetting, SettingDef

log = logging.getLogger(__name__)

_MAX_AGE_SECONDS = 30.0


class UnknownSetting(KeyError):
    """No setting has this key."""


@dataclass(frozen=True)
class ResolvedSetting:
    definition: SettingDef
    value: Any
    source: str  # "stored", "config" or "default"


@dataclass(frozen=True)
class SettingChange:
    key: str
    old: Any
    new: Any
    source: str = "stored"


class ServerSettingsService:
    """Typed reads (cached) and validated writes of server settings."""

    def __init__(self, db: Database, config: Settings) -> None:
        self._db = db
        self._config = config
        self._stored: dict[str, Any] | None = None
        self._loaded_at = 0.0
        # Bumped by every announced change: a load that raced one is used once, not kept.
        self._generation = 0
        self._lock = asyncio.Lock()
        self.listener = ChangeListener(repo.NOTIFY_CHANNEL, db.url, config.redis_url, self._changed)

    async def start(self) -> None:
        await self.listener.start()

    async def close(self) -> None:
        await self.listener.close()

    def _changed(self, key: str | None) -> None:
        self.invalidate()

    def invalidate(self) -> None:
        """Forget the cached copy (next read goes to the database)."""
        self._generation += 1
        self._stored = None

    async def _values(self) -> dict[str, Any]:
        stored = self._stored
        if stored is not None and time.monotonic() - self._loaded_at < _MAX_AGE_SECONDS:
            return stored
        async with self._lock:
            if self._stored is not None and time.monotonic() - self._loaded_at < _MAX_AGE_SECONDS:
                return self._stored
            generation = self._generation
            async with self._db.sessions() as session:
                loaded = await repo.load_all(session)
            # A change announced while loading may not be in `loaded`: keeping it would
            # hide that change for up to _MAX_AGE_SECONDS.
            if generation == self._generation:
                self._stored, self._loaded_at = loaded, time.monotonic()
            return loaded

    def _fallback(self, d: SettingDef) -> tuple[Any, str]:
        """The config/environment value of a key, else its default."""
        if d.key in self._config.runtime_settings:
            try:
                return d.validate(self._config.runtime_settings[d.key]), "config"
            except InvalidSetting as exc:
                log.warning("ignoring runtime_settings value: %s", exc)
        if d.from_config is not None and d.config_field is not None:
            group, name = d.config_field
            if name in getattr(self._config, group).model_fields_set:
                return d.from_config(self._config), "config"
        return d.default, "default"

    def _resolve(self, d: SettingDef, stored: dict[str, Any]) -> ResolvedSetting:
        if d.key in stored:
            try:
                return ResolvedSetting(d, d.validate(stored[d.key]), "stored")
            except InvalidSetting as exc:
                log.warning("ignoring stored value: %s", exc)
        value, source = self._fallback(d)
        return ResolvedSetting(d, value, source)

    async def resolve(self, key: str) -> ResolvedSetting:
        d = _definition(key)
        return self._resolve(d, await self._values())

    async def get(self, key: str) -> Any:
        """The effective value of `key`."""
        return (await self.resolve(key)).value

    async def outbound_allowlist(self) -> Allowlist:
        """Where user-supplied URLs (webhooks, artwork) may connect besides public addresses."""
        return Allowlist.parse(await self.get("http.outbound_allowlist"))

    async def get_all(self, *, public_only: bool = False) -> list[ResolvedSetting]:
        stored = await self._values()
        return [self._resolve(d, stored) for d in REGISTRY.values() if d.public or not public_only]

    async def set(
        self, session: AsyncSession, key: str, value: Any, actor: uuid.UUID | None
    ) -> SettingChange:
        """Validate and store a value in the caller's transaction; announced on commit."""
        d = _definition(key)
        typed = d.validate(value)
        old = await self._current_in(session, d)
        await repo.upsert(session, key, typed, actor)
        await self._announce(session, key)
        return SettingChange(key, old, typed)

    async def reset(
        self, session: AsyncSession, key: str, actor: uuid.UUID | None
    ) -> SettingChange:
        """Forget the stored value; the config/default applies again."""
        d = _definition(key)
        old = await self._current_in(session, d)
        await repo.remove(session, key)
        await self._announce(session, key)
        return SettingChange(key, old, *self._fallback(d))

    async def _current_in(self, session: AsyncSession, d: SettingDef) -> Any:
        found, value = await repo.get(session, d.key)
        return self._resolve(d, {d.key: value} if found else {}).value

    async def _announce(self, session: AsyncSession, key: str) -> None:
        # NOTIFY rides the transaction; the local copy and Redis are told once it commits,
        # and the transaction's owner waits for the Redis announcement (see after_commit_task).
        await repo.notify_changed(session, key)
        after_commit(session, self.invalidate)
        after_commit_task(session, lambda: self.listener.publish(key))


def _definition(key: str) -> SettingDef:
    try:
        return REGISTRY[key]
    except KeyError:
        raise UnknownSetting(key) from None
