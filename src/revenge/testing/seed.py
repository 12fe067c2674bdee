"""Rows written straight into the database, for tests of features that read the catalogue."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import CursorResult, text

from revenge.catalog.totals import CatalogTotals
from revenge.runtime import Runtime
from revenge.testing.auth import ADMIN, USER

OTHER_USER = uuid.UUID(int=3)


async def execute(runtime: Runtime, sql: str, **params: Any) -> list[dict[str, Any]]:
    async with runtime.db.transaction() as session:
        # Written behind the catalogue writers' backs: cached list totals must follow.
        CatalogTotals(runtime.cache).changed(session)
        result = await session.execute(text(sql), params)
        assert isinstance(result, CursorResult)  # a statement's result, which may have no rows
        return [dict(r) for r in result.mappings()] if result.returns_rows else []


async def add_users(runtime: Runtime) -> None:
    """The two test principals, plus a third plain user (id 3, 'other').

    Plain users see only the libraries granted to them (`all_libraries` off).
    """
    for user_id, name, role in (
        (ADMIN.user_id, ADMIN.username, ADMIN.role),
        (USER.user_id, USER.username, USER.role),
        (OTHER_USER, "other", "user"),
    ):
        await execute(
            runtime,
            "INSERT INTO users (id, username, role, all_libraries) VALUES (:i, :n, :r, false)",
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


async def _insert(runtime: Runtime, table: str, **values: Any) -> uuid.UUID:
    row_id = values.setdefault("id", uuid.uuid4())
    columns = ", ".join(values)
    marks = ", ".join(f":{k}" for k in values)
    await execute(runtime, f"INSERT INTO {table} ({columns}) VALUES ({marks})", **values)
    return uuid.UUID(str(row_id))


def _key() -> str:
    return uuid.uuid4().hex


async def add_movie(runtime: Runtime, library_id: uuid.UUID, title: str, **extra: Any) -> uuid.UUID:
    return await _insert(
        runtime, "movies", library_id=library_id, group_key=_key(), title=title,
        sort_title=title.casefold(), **extra,
    )  # fmt: skip


async def add_series(
    runtime: Runtime, library_id: uuid.UUID, title: str, **extra: Any
) -> uuid.UUID:
    return await _insert(
        runtime, "series", library_id=library_id, group_key=_key(), title=title,
        sort_title=title.casefold(), **extra,
    )  # fmt: skip


async def add_episode(
    runtime: Runtime, library_id: uuid.UUID, series_id: uuid.UUID, season: int, number: int,
    title: str, **extra: Any,
) -> uuid.UUID:  # fmt: skip
    found = await execute(
        runtime, "SELECT id FROM seasons WHERE series_id = :s AND number = :n", s=series_id,
        n=season,
    )  # fmt: skip
    season_id = found[0]["id"] if found else await _insert(
        runtime, "seasons", library_id=library_id, group_key=_key(), series_id=series_id,
        number=season,
    )  # fmt: skip
    return await _insert(
        runtime, "episodes", library_id=library_id, group_key=_key(), series_id=series_id,
        season_id=season_id, season_number=season, number=number, title=title, **extra,
    )  # fmt: skip


async def add_track(
    runtime: Runtime, library_id: uuid.UUID, title: str, artist: str = "Artist",
    album: str = "Album", **extra: Any,
) -> uuid.UUID:  # fmt: skip
    album_id = await _insert(
        runtime, "albums", library_id=library_id, group_key=_key(), title=album,
        sort_title=album.casefold(),
    )  # fmt: skip
    return await _insert(
        runtime, "tracks", library_id=library_id, group_key=_key(), album_id=album_id,
        title=title, artist_name=artist, **extra,
    )  # fmt: skip


async def add_audiobook(
    runtime: Runtime, library_id: uuid.UUID, title: str, chapters: tuple[str, ...] = (),
    **extra: Any,
) -> uuid.UUID:  # fmt: skip
    book_id = await _insert(
        runtime, "audiobooks", library_id=library_id, group_key=_key(), title=title,
        sort_title=title.casefold(), **extra,
    )  # fmt: skip
    for position, name in enumerate(chapters, start=1):
        await execute(
            runtime, "INSERT INTO audiobook_chapters (audiobook_id, position, title)"
            " VALUES (:b, :p, :t)", b=book_id, p=position, t=name,
        )  # fmt: skip
    return book_id


async def add_podcast_episode(
    runtime: Runtime, library_id: uuid.UUID, title: str, show: str = "Show"
) -> uuid.UUID:
    podcast_id = await _insert(
        runtime, "podcasts", library_id=library_id, group_key=_key(), title=show,
        sort_title=show.casefold(),
    )  # fmt: skip
    return await _insert(
        runtime, "podcast_episodes", library_id=library_id, group_key=_key(),
        podcast_id=podcast_id, title=title,
    )  # fmt: skip
