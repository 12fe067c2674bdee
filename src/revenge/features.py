"""Every feature of the server, by its manifest: the list the composition root builds from.

Adding a feature is one `manifest.py` in its package and one line here. `infra` never
imports a feature; what it needs from them (tables, jobs) comes from these manifests.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from sqlalchemy import MetaData

from revenge.access_keys.manifest import FEATURE as ACCESS_KEYS
from revenge.accounts.manifest import FEATURE as ACCOUNTS
from revenge.activity.manifest import FEATURE as ACTIVITY
from revenge.catalog.manifest import FEATURE as CATALOG
from revenge.collections.manifest import FEATURE as COLLECTIONS
from revenge.events.manifest import FEATURE as EVENTS
from revenge.images.manifest import FEATURE as IMAGES
from revenge.infra.db.base import Base
from revenge.infra.jobs.registry import JobRegistry
from revenge.infra.manifest import Feature
from revenge.integrations.manifest import FEATURE as INTEGRATIONS
from revenge.libraries.manifest import FEATURE as LIBRARIES
from revenge.maintenance.manifest import FEATURE as MAINTENANCE
from revenge.metadata.manifest import FEATURE as METADATA
from revenge.notifications.manifest import FEATURE as NOTIFICATIONS
from revenge.playback.manifest import FEATURE as PLAYBACK
from revenge.playlists.manifest import FEATURE as PLAYLISTS
from revenge.scanning.manifest import FEATURE as SCANNING
from revenge.search.manifest import FEATURE as SEARCH
from revenge.server_settings.manifest import FEATURE as SERVER_SETTINGS
from revenge.sessions.manifest import FEATURE as SESSIONS

if TYPE_CHECKING:
    from revenge.catalog.metadata_fields import Collector

FEATURES: tuple[Feature, ...] = (
    MAINTENANCE,
    LIBRARIES,
    SCANNING,
    METADATA,
    SEARCH,
    IMAGES,
    NOTIFICATIONS,
    INTEGRATIONS,
    ACCOUNTS,
    ACTIVITY,
    ACCESS_KEYS,
    CATALOG,
    COLLECTIONS,
    EVENTS,
    PLAYBACK,
    PLAYLISTS,
    SERVER_SETTINGS,
    SESSIONS,
)


def schema() -> MetaData:
    """Every table of every feature (their model modules are imported by the manifests)."""
    return Base.metadata


def collector() -> Collector:
    """Where provider collections an item belongs to are kept (the collections feature)."""
    from revenge.collections.service import collect

    return collect


def build_job_registry(extra_modules: list[str] | None = None) -> JobRegistry:
    """Every feature's jobs, plus plugin modules named in `jobs.extra_modules` (each with a
    `register(registry)` function)."""
    registry = JobRegistry()
    for feature in FEATURES:
        feature.register_jobs(registry)
    for name in extra_modules or []:
        importlib.import_module(name).register(registry)
    return registry
