"""SQL of the libraries feature: libraries, folders, scans, failed files, access."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, exists, func, or_, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.accounts.models import User
from revenge.libraries.models import Library, LibraryAccess, LibraryPath, LibraryScan, MediaFile


async def list_libraries(
    session: AsyncSession, allowed: set[uuid.UUID] | None
) -> list[tuple[Library, list[str]]]:
    stmt = select(Library).order_by(Library.name)
    if allowed is not None:
        stmt = stmt.where(Library.id.in_(allowed or {uuid.UUID(int=0)}))
    libraries = list((await session.execute(stmt)).scalars())
    paths = await paths_by_library(session, [lib.id for lib in libraries])
    return [(lib, paths.get(lib.id, [])) for lib in libraries]


async def paths_by_library(
    session: AsyncSession, library_ids: list[uuid.UUID] | None = None
) -> dict[uuid.UUID, list[str]]:
    stmt = select(LibraryPath.library_id, LibraryPath.path).order_by(LibraryPath.path)
    if library_ids is not None:
        stmt = stmt.where(LibraryPath.library_id.in_(library_ids))
    out: dict[uuid.UUID, list[str]] = {}
    for library_id, path in (await session.execute(stmt)).all():
        out.setdefault(library_id, []).append(path)
    return out


async def database_data_dir(session: AsyncSession) -> str | None:
    """PostgreSQL's data directory; None when the role may not read the setting."""
    try:
        async with session.begin_nested():
            found = await session.scalar(text("SELECT current_setting('data_directory')"))
    except DBAPIError:
        return None
    return str(found) if found else None


async def get_library(session: AsyncSession, library_id: uuid.UUID) -> Library | None:
    return await session.get(Library, library_id)


async def name_taken(session: AsyncSession, name: str, except_id: uuid.UUID | None) -> bool:
    stmt = select(Library.id).where(func.lower(Library.name) == name.lower())
    if except_id is not None:
        stmt = stmt.where(Library.id != except_id)
    return (await session.execute(stmt)).first() is not None


async def add_library(session: AsyncSession, values: dict[str, Any], paths: list[str]) -> Library:
    library = Library(**values)
    session.add(library)
    await session.flush()
    await set_paths(session, library.id, paths)
    return library


async def set_paths(session: AsyncSession, library_id: uuid.UUID, paths: list[str]) -> None:
    await session.execute(delete(LibraryPath).where(LibraryPath.library_id == library_id))
    session.add_all(LibraryPath(library_id=library_id, path=p) for p in paths)
    await session.flush()


async def delete_library(session: AsyncSession, library_id: uuid.UUID) -> bool:
    result = await session.execute(delete(Library).where(Library.id == library_id))
    return bool(getattr(result, "rowcount", 0))


async def create_scan(
    session: AsyncSession, library_id: uuid.UUID, scan_type: str, folders: list[str] | None
) -> LibraryScan:
    scan = LibraryScan(library_id=library_id, type=scan_type, folders=folders)
    session.add(scan)
    await session.flush()
    return scan


async def get_scan(session: AsyncSession, scan_id: uuid.UUID) -> LibraryScan | None:
    return await session.get(LibraryScan, scan_id)


async def update_scan(session: AsyncSession, scan_id: uuid.UUID, **values: Any) -> None:
    await session.execute(update(LibraryScan).where(LibraryScan.id == scan_id).values(**values))


async def unfinished_since(session: AsyncSession, library_id: uuid.UUID) -> datetime | None:
    """Start of the oldest scan that began after the last completed one and never completed.

    Such a scan (killed, or failed on an error) may have committed batches of files whose
    follow-up jobs were never queued: those are only queued when a scan completes.
    """
    row = await session.execute(
        text(
            "SELECT min(s.started_at) FROM library_scans s WHERE s.library_id = :lib"
            " AND s.status IN ('running', 'failed') AND s.started_at > coalesce("
            " (SELECT max(c.finished_at) FROM library_scans c WHERE c.library_id = :lib"
            " AND c.status = 'completed'), '-infinity')"
        ),
        {"lib": library_id},
    )
    found: datetime | None = row.scalar()
    return found


async def fail_interrupted_scans(session: AsyncSession, library_id: uuid.UUID) -> None:
    """Scans left `running` by a killed worker (the caller holds the library's scan lock)."""
    await session.execute(
        update(LibraryScan)
        .where(LibraryScan.library_id == library_id, LibraryScan.status == "running")
        .values(status="failed", error="interrupted", finished_at=func.now(), phase=None)
    )


async def list_scans(
    session: AsyncSession, library_id: uuid.UUID, limit: int, before: datetime | None
) -> list[LibraryScan]:
    stmt = select(LibraryScan).where(LibraryScan.library_id == library_id)
    if before is not None:
        stmt = stmt.where(LibraryScan.started_at < before)
    stmt = stmt.order_by(LibraryScan.started_at.desc()).limit(limit)
    return list((await session.execute(stmt)).scalars())


async def failed_files(
    session: AsyncSession, library_id: uuid.UUID, limit: int, offset: int
) -> tuple[list[MediaFile], int]:
    where = (MediaFile.library_id == library_id, MediaFile.analysis == "failed")
    total = await session.scalar(select(func.count()).where(*where))
    rows = await session.execute(
        select(MediaFile).where(*where).order_by(MediaFile.path).limit(limit).offset(offset)
    )
    return list(rows.scalars()), int(total or 0)


async def missing_files(
    session: AsyncSession, library_id: uuid.UUID, limit: int, offset: int
) -> tuple[list[MediaFile], int]:
    """Files the last scans no longer found, longest missing first."""
    where = (MediaFile.library_id == library_id, MediaFile.missing_since.is_not(None))
    total = await session.scalar(select(func.count()).where(*where))
    rows = await session.execute(
        select(MediaFile)
        .where(*where)
        .order_by(MediaFile.missing_since, MediaFile.path)
        .limit(limit)
        .offset(offset)
    )
    return list(rows.scalars()), int(total or 0)


async def user_sees_all_libraries(session: AsyncSession, user_id: uuid.UUID) -> bool | None:
    """The user's `all_libraries` flag, or None when there is no such user."""
    row = await session.execute(select(User.all_libraries).where(User.id == user_id))
    return row.scalar_one_or_none()


def visible_library_clause(
    user_id: uuid.UUID, library_id_column: ColumnElement[uuid.UUID]
) -> ColumnElement[bool]:
    """True for rows whose library the user may see (all-libraries flag or a grant)."""
    granted = exists().where(
        LibraryAccess.user_id == user_id, LibraryAccess.library_id == library_id_column
    )
    sees_all = exists().where(User.id == user_id, User.all_libraries.is_(True))
    return or_(sees_all, granted)


async def locked_scope(
    session: AsyncSession, user_id: uuid.UUID
) -> tuple[bool, set[uuid.UUID]] | None:
    """(all-libraries flag, granted ids) of a user, their row share-locked; None: no user."""
    flag = await session.scalar(
        select(User.all_libraries).where(User.id == user_id).with_for_update(read=True)
    )
    if flag is None:
        return None
    return bool(flag), set() if flag else await granted_library_ids(session, user_id)


async def granted_library_ids(session: AsyncSession, user_id: uuid.UUID) -> set[uuid.UUID]:
    rows = await session.execute(
        select(LibraryAccess.library_id).where(LibraryAccess.user_id == user_id)
    )
    return set(rows.scalars())


async def libraries_due_for_scan(session: AsyncSession, interval_hours: float) -> list[uuid.UUID]:
    """Enabled libraries without a full scan completed within the interval."""
    rows = await session.execute(
        text(
            "SELECT l.id FROM libraries l WHERE l.enabled AND NOT EXISTS ("
            " SELECT 1 FROM library_scans s WHERE s.library_id = l.id AND s.type = 'full'"
            " AND s.status = 'completed'"
            " AND s.finished_at > now() - make_interval(secs => :secs))"
        ),
        {"secs": interval_hours * 3600},
    )
    return list(rows.scalars())


async def user_library_ids(session: AsyncSession, user_id: uuid.UUID) -> list[uuid.UUID]:
    stmt = select(LibraryAccess.library_id).where(LibraryAccess.user_id == user_id)
    return list((await session.execute(stmt)).scalars())


async def existing_library_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    if not ids:
        return set()
    stmt = select(Library.id).where(Library.id.in_(ids))
    return set((await session.execute(stmt)).scalars())


async def replace_library_access(
    session: AsyncSession, user_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> None:
    await session.execute(delete(LibraryAccess).where(LibraryAccess.user_id == user_id))
    session.add_all(LibraryAccess(user_id=user_id, library_id=i) for i in ids)
    await session.flush()
