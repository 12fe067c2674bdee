"""Audiobooks for callers outside the native routes (player protocols)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog.audiobooks import lists_repository as repo


async def by_ids(
    session: AsyncSession, allowed: set[uuid.UUID] | None, ids: Sequence[uuid.UUID]
) -> list[Any]:
    """Visible audiobooks among these ids, with their first author."""
    return await repo.by_ids(session, allowed, ids) if ids else []
