"""Server settings: resolution stored > config/environment > default, cached per node.

Every node keeps the stored values in memory and drops them when any node announces a change
(PostgreSQL NOTIFY or Redis pub/sub, see `bus.py`). Both announcements are out before the
request that made the change is answered (NOTIFY at commit, the Redis publish is awaited by
the transaction's owner), so the other nodes have dropped their copies by the time the client
can ask them. As a safety net for lost announcements the copy is also refreshed every 30 seconds.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import time
import uuid
from collections.abc import Callable
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
# What `get_now` gives for a value it cannot give without waiting.
UNKNOWN: Any = object()


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


_SCALARS = (bool, int, float, str, type(None))


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
        # Scalar settings resolved from `_resolved_from` (a loaded copy of the stored values):
        # some are read on every request (maintenance mode), and validating one took
        # microseconds a time. Lists and mappings are resolved afresh, so no caller shares one.
        self._resolved: dict[str, ResolvedSetting] = {}
        self._resolved_from: dict[str, Any] | None = None
        self._subscribers: list[Callable[[str | None], None]] = []
        self.listener = ChangeListener(
            repo.NOTIFY_CHANNEL, db.url, config.redis_url, self.invalidate
        )

    async def start(self) -> None:
        await self.listener.start()

    async def close(self) -> None:
        await self.listener.close()

    def subscribe(self, callback: Callable[[str | None], None]) -> Callable[[], None]:
        """Call `callback(key)` whenever a setting may have changed on any node (`None`: any
        of them); the returned function ends the subscription. Reads made from the callback
        already see the change."""
        self._subscribers.append(callback)
        return lambda: self._subscribers.remove(callback)

    def invalidate(self, key: str | None = None) -> None:
        """Forget the cached copy (next read goes to the database) and tell subscribers."""
        self._generation += 1
        self._stored = None
        for callback in list(self._subscribers):
            try:
                callback(key)
            except Exception:
                log.exception("settings change subscriber failed")

    async def _values(self) -> dict[str, Any]:
        stored = self._stored
        if stored is not None and self._fresh():
            return stored
        async with self._lock:
            if self._stored is not None and self._fresh():
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
        value, source = self._stored_or_fallback(d, stored)
        # A list or mapping is the reader's own: changing it must not change the default,
        # the configuration or the cached copy it came from.
        return ResolvedSetting(
            d, value if isinstance(value, _SCALARS) else copy.deepcopy(value), source
        )

    def _stored_or_fallback(self, d: SettingDef, stored: dict[str, Any]) -> tuple[Any, str]:
        if d.key in stored:
            try:
                return d.validate(stored[d.key]), "stored"
            except InvalidSetting as exc:
                log.warning("ignoring stored value: %s", exc)
        return self._fallback(d)

    async def resolve(self, key: str) -> ResolvedSetting:
        stored = await self._values()
        if stored is not self._resolved_from:
            self._resolved, self._resolved_from = {}, stored
        found = self._resolved.get(key)
        if found is None:
            found = self._resolve(_definition(key), stored)
            if isinstance(found.value, _SCALARS):
                self._resolved[key] = found
        return found

    async def get(self, key: str) -> Any:
        """The effective value of `key`."""
        found = self.get_now(key)
        return (await self.resolve(key)).value if found is UNKNOWN else found

    def get_now(self, key: str) -> Any:
        """The effective value of a scalar `key` if it is known without waiting (resolved,
        and the stored values fresh), else `UNKNOWN`: some settings are read on every
        request, and some readers cannot wait."""
        found = self._resolved.get(key)
        if found is not None and self._stored is self._resolved_from and self._fresh():
            return found.value
        return UNKNOWN

    def _fresh(self) -> bool:
        return time.monotonic() - self._loaded_at < _MAX_AGE_SECONDS

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
        after_commit(session, lambda: self.invalidate(key))
        after_commit_task(session, lambda: self.listener.publish(key))


def _definition(key: str) -> SettingDef:
    try:
        return REGISTRY[key]
    except KeyError:
        raise UnknownSetting(key) from None
