"""SQL of streaming: one query finds a file, its roots and whether the caller may see it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

_FILE = text(
    """
    SELECT f.path, f.library_id, f.kind, f.item_kind, f.item_id, f.missing_since,
           array(SELECT p.path FROM library_paths p WHERE p.library_id = f.library_id) AS roots,
           (EXISTS (SELECT 1 FROM users u WHERE u.id = :user_id AND u.all_libraries)
            OR EXISTS (SELECT 1 FROM library_access a
                       WHERE a.library_id = f.library_id AND a.user_id = :user_id)) AS granted
    FROM media_files f
    WHERE f.id = :file_id
    """
)
# `granted` is the rule of `revenge.libraries.access` (the all-libraries flag, else an explicit
# grant), inlined so the stream fast path stays one round trip.

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
    # Set once a scan found the file gone from disk: the item stays, playing it answers 410.
    missing_since: datetime | None = None


async def find_file(
    session: AsyncSession, file_id: uuid.UUID, user_id: uuid.UUID
) -> StreamFile | None:
    row = (await session.execute(_FILE, {"file_id": file_id, "user_id": user_id})).first()
    if row is None:
        return None
    return StreamFile(
        row.path, row.library_id, row.kind, row.item_kind, row.item_id, list(row.roots),
        bool(row.granted), row.missing_since,
    )  # fmt: skip


async def user_role(session: AsyncSession, user_id: uuid.UUID) -> str | None:
    """The role of an enabled user, None for a deleted or disabled one."""
    role: str | None = await session.scalar(_USER, {"user_id": user_id})
    return role
