"""Identifying an album by hand and editing its metadata (administrators)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog import identify as shared
from revenge.catalog.metadata_writer import item_ref, reindex
from revenge.catalog.music import metadata_repository as meta_repo
from revenge.catalog.music import repository as repo
from revenge.catalog.music.models import Album
from revenge.errors import NotFound
from revenge.identity import Principal
from revenge.identity.principal import require_admin
from revenge.libraries.access import allowed_library_ids
from revenge.metadata.matching import Scored
from revenge.metadata.protocols import MusicProvider

if TYPE_CHECKING:
    from revenge.runtime import Runtime

EDITABLE = ("title", "year", "genres")


async def album_for_admin(
    session: AsyncSession, principal: Principal, album_id: uuid.UUID
) -> tuple[Album, str | None]:
    """The album and its artist's name if the caller may see it (else 404) and is an
    administrator (else 403)."""
    allowed = await allowed_library_ids(session, principal)
    found = await repo.get_album(session, album_id, allowed)
    if found is None:
        raise NotFound(f"No album {album_id}.")
    require_admin(principal)
    return found


async def search(
    runtime: Runtime, album: Album, artist: str | None, q: str | None, year: int | None
) -> list[Scored]:
    """Release candidates for the album (its own title, artist and year unless given)."""
    if q is None and year is None:
        year = album.year
    return await shared.search(runtime, "album", q or album.title, year, artist)


async def choose(
    runtime: Runtime, session: AsyncSession, album: Album, provider: str, provider_id: str
) -> None:
    ref = item_ref("album", album.id)
    await shared.choose(runtime, session, ref, MusicProvider, provider, provider_id)
    await session.refresh(album)


async def edit(
    runtime: Runtime,
    session: AsyncSession,
    album: Album,
    changes: dict[str, Any],
    unlock: Sequence[str],
) -> None:
    """Set and lock the edited fields; `unlock` hands fields back to the providers."""
    values = shared.edited_values(album.locked_fields, changes, EDITABLE, unlock)
    await meta_repo.edit_album(session, album.id, values)
    await reindex(runtime, session, album.library_id, "album", album.id)
    await session.refresh(album)
