"""SQL resolving references to catalogue items, by each kind's declared query."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog.registry import KINDS


async def references(session: AsyncSession, item_type: str, ids: set[uuid.UUID]) -> Sequence[Any]:
    """(id, library_id, title, subtitle, year[, position]) rows of the `ids` that exist."""
    kind = KINDS.get(item_type)
    if kind is None or kind.reference is None:
        raise ValueError(item_type)
    stmt = kind.reference().where(kind.model.id.in_(ids))
    return list(await session.execute(stmt))
