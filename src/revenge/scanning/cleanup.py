"""The cleanup step of the libraries feature, run by `maintenance.cleanup`.

Files missing for longer than `scanning.missing_grace_hours` are deleted; then every
content module removes items no file points at any more (with their users' state).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog.registry import KINDS
from revenge.catalog.totals import CatalogTotals
from revenge.config import ScanningSettings
from revenge.infra.cache import Cache
from revenge.libraries.scanner.repository import purge_missing


def purge_step(
    settings: ScanningSettings, cache: Cache
) -> Callable[[AsyncSession], Awaitable[int]]:
    """A cleanup step bound to the (live) scanning settings."""

    async def purge_missing_media(session: AsyncSession) -> int:
        removed = await purge_missing(session, settings.missing_grace_hours * 3600)
        for cataloguer in KINDS.cataloguers():
            removed += await cataloguer.purge_orphans(session)
        if removed:
            CatalogTotals(cache).changed(session)
        return removed

    return purge_missing_media
