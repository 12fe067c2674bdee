"""Rows written straight into the database, for tests of features that read the catalogue."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import text

from revenge.runtime import Runtime
from tests.support.auth import ADMIN, USER

OTHER_USER = uuid.UUID(int=3)


async def execute(runtime: Runtime, sql: str, **params: Any) -> list[dict[str, Any]]:
    async with runtime.db.transaction() as session:
        result = await session.execute(text(sql), params)
        return [dict(r) for r in result.mappings()] if result.returns_rows else []


async def add_users(runtime: Runtime) -> None:
    """The two test principals, plus a third plain user (id 3, 'other')."""
    for user_id, name, role in (
        (ADMIN.user_id, ADMIN.username, ADMIN.role),
        (USER.user_id, USER.username, USER.role),
        (OTHER_USER, "other", "user"),
    ):
        await execute(
            runtime, "INSERT INTO users (id, username, role) VALUES (:i, :n, :r)",
            i=user_id, n=name, r=role,
        )  # fmt: skip


async def add_library(
    runtime: Runtime, kind: str, root: Path | None = None, *, grant: tuple[uuid.UUID, ...] = ()
) -> uuid.UUID:
    """A library (with one root folder when given), granted to the given users."""
    library_id = uuid.uuid4()
    await execute(
        runtime, "INSERT INTO libraries (id, name, type) VALUES (:i, :n, :t)",
        i=library_id, n=f"{kind}-{library_id.hex[:8]}", t=kind,
    )  # fmt: skip
    if root is not None:
        os.makedirs(root, exist_ok=True)
        await execute(
            runtime, "INSERT INTO library_paths (library_id, path) VALUES (:l, :p)",
            l=library_id, p=str(root),
        )  # fmt: skip
    for user_id in grant:
        await execute(
            runtime, "INSERT INTO library_access (library_id, user_id) VALUES (:l, :u)",
            l=library_id, u=user_id,
        )  # fmt: skip
    return library_id


async def add_file(
    runtime: Runtime,
    library_id: uuid.UUID,
    path: Path,
    *,
    kind: str = "video",
    item: tuple[str, uuid.UUID] | None = None,
) -> uuid.UUID:
    """A media_files row for an existing file on disk."""
    st = os.stat(path)
    file_id = uuid.uuid4()
    await execute(
        runtime,
        "INSERT INTO media_files (id, library_id, path, folder, kind, size, mtime_ns, inode,"
        " device, fingerprint, item_kind, item_id) VALUES (:i, :l, :p, :f, :k, :s, :m, :n,"
        " :d, 'x', :ik, :ii)",
        i=file_id, l=library_id, p=str(path), f=str(path.parent), k=kind, s=st.st_size,
        m=st.st_mtime_ns, n=st.st_ino, d=st.st_dev, ik=item[0] if item else None,
        ii=item[1] if item else None,
    )  # fmt: skip
    return file_id
