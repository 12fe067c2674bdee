"""Identifying a series by hand and editing its metadata (administrators)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog import identify as shared
from revenge.catalog.metadata_writer import item_ref, reindex
from revenge.catalog.tv import metadata_repository as meta_repo
from revenge.catalog.tv import repository as repo
from revenge.catalog.tv.models import Series
from revenge.errors import NotFound
from revenge.identity import Principal
from revenge.identity.principal import require_admin
from revenge.libraries.access import allowed_library_ids
from revenge.metadata.matching import Scored
from revenge.metadata.protocols import TvProvider

if TYPE_CHECKING:
    from revenge.runtime import Runtime

EDITABLE = ("title", "original_title", "overview", "year", "genres")


async def series_for_admin(
    session: AsyncSession, principal: Principal, series_id: uuid.UUID
) -> Series:
    """The series if the caller may see it (else 404) and is an administrator (else 403)."""
    allowed = await allowed_library_ids(session, principal)
    series = await repo.get_series(session, series_id, allowed)
    if series is None:
        raise NotFound(f"No series {series_id}.")
    require_admin(principal)
    return series


async def search(runtime: Runtime, series: Series, q: str | None, year: int | None) -> list[Scored]:
    """Provider candidates for the series (its own title and year unless given), best first."""
    if q is None and year is None:
        year = series.year
    return await shared.search(runtime, "series", q or series.title, year)


async def choose(
    runtime: Runtime, session: AsyncSession, series: Series, provider: str, provider_id: str
) -> None:
    """Apply the provider record a person picked (episodes not yet described follow it)."""
    ref = item_ref("series", series.id)
    await shared.choose(runtime, session, ref, TvProvider, provider, provider_id)
    await session.refresh(series)


async def edit(
    runtime: Runtime,
    session: AsyncSession,
    series: Series,
    changes: dict[str, Any],
    unlock: Sequence[str],
) -> None:
    """Set and lock the edited fields; `unlock` hands fields back to the providers."""
    values = shared.edited_values(series.locked_fields, changes, EDITABLE, unlock)
    await meta_repo.edit_series(session, series.id, values)
    await reindex(runtime, session, series.library_id, "series", series.id)
    await session.refresh(series)
