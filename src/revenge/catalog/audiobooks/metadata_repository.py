"""SQL the metadata writer needs over audiobooks."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog import metadata_repository as shared
from revenge.catalog.audiobooks.models import Audiobook, AudiobookPerson


async def book(session: AsyncSession, book_id: uuid.UUID) -> Audiobook | None:
    return await session.get(Audiobook, book_id)


async def book_file(session: AsyncSession, book_id: uuid.UUID) -> str | None:
    return await shared.main_file_path(session, "audiobook", book_id)


async def credited(session: AsyncSession, book_id: uuid.UUID) -> dict[str, list[str]]:
    """Authors and narrators in credit order."""
    rows = await session.execute(
        select(AudiobookPerson.role, AudiobookPerson.name)
        .where(AudiobookPerson.audiobook_id == book_id)
        .order_by(AudiobookPerson.role, AudiobookPerson.position)
    )
    out: dict[str, list[str]] = {"author": [], "narrator": []}
    for role, name in rows.all():
        out.setdefault(role, []).append(name)
    return out


async def add_people(
    session: AsyncSession, book_id: uuid.UUID, role: str, names: list[str]
) -> None:
    """Credit `names` in `role` (used only when the book has nobody in that role yet)."""
    if names:
        rows = [
            {"audiobook_id": book_id, "role": role, "position": i, "name": n}
            for i, n in enumerate(names)
        ]
        await session.execute(insert(AudiobookPerson).values(rows))


async def save_book(session: AsyncSession, book_id: uuid.UUID, values: dict[str, Any]) -> None:
    """Set the given columns and stamp the fetch time."""
    await session.execute(
        update(Audiobook)
        .where(Audiobook.id == book_id)
        .values(**values, metadata_fetched_at=func.now(), updated_at=func.now())
    )


async def stale_books(
    session: AsyncSession, before: datetime, limit: int
) -> Sequence[tuple[uuid.UUID, datetime | None]]:
    fetched = Audiobook.metadata_fetched_at
    stmt = (
        select(Audiobook.id, fetched)
        .where(fetched.is_(None) | (fetched < before))
        .order_by(fetched.asc().nulls_first())
        .limit(limit)
    )
    return [(i, t) for i, t in (await session.execute(stmt)).all()]
