"""SQL the metadata writer needs over audiobooks."""

from __future__ import annotations

import uuid

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog.audiobooks.models import AudiobookPerson


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
