"""SQL of streaming: one query finds a file, its library's roots and the caller's grant."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

_FILE = text(
    """
    SELECT f.path, f.library_id, f.kind, f.item_kind, f.item_id,
           array(SELECT p.path FROM library_paths p WHERE p.library_id = f.library_id) AS roots,
           EXISTS (SELECT 1 FROM library_access a
                   WHERE a.library_id = f.library_id AND a.user_id = :user_id) AS granted
    FROM media_files f
    WHERE f.id = :file_id AND f.missing_since IS NULL
    """
)

_USER = text("SELECT role FROM users WHERE id = :user_id AND NOT disabled")


@dataclass(frozen=True, slots=True)
class StreamFile:
    path: str
    library_id: uuid.UUID
    kind: str
    item_kind: str | None
    item_id: uuid.UUID | None
    roots: list[str]
    granted: bool


async def find_file(
    session: AsyncSession, file_id: uuid.UUID, user_id: uuid.UUID
) -> StreamFile | None:
    row = (await session.execute(_FILE, {"file_id": file_id, "user_id": user_id})).first()
    if row is None:
        return None
    return StreamFile(
        row.path, row.library_id, row.kind, row.item_kind, row.item_id, list(row.roots),
        bool(row.granted),
    )  # fmt: skip


async def user_role(session: AsyncSession, user_id: uuid.UUID) -> str | None:
    """The role of an enabled user, None for a deleted or disabled one."""
    role: str | None = await session.scalar(_USER, {"user_id": user_id})
    return role
