"""Library administration and scan requests (no commits: the request owns the transaction)."""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.errors import BadRequest, Conflict, NotFound, must_exist
from revenge.infra.jobs.queue import JobQueue
from revenge.libraries import repository as repo
from revenge.libraries.folders import check_folders
from revenge.libraries.models import Library, LibraryScan, MediaFile
from revenge.libraries.tasks import ScanLibrary, scan_dedupe_key, scan_library
from revenge.scanning.schemas import LibraryIn, LibraryPatch


async def _other_folders(session: AsyncSession, except_id: uuid.UUID | None) -> dict[str, str]:
    libraries = {lib.id: lib.name for lib, _ in await repo.list_libraries(session, None)}
    return {
        path: libraries[library_id]
        for library_id, paths in (await repo.paths_by_library(session)).items()
        if library_id != except_id
        for path in paths
    }


async def create_library(session: AsyncSession, data: LibraryIn, data_dir: Path) -> Library:
    if await repo.name_taken(session, data.name.strip(), None):
        raise Conflict(f"A library named {data.name.strip()!r} already exists.")
    paths = check_folders(
        data.paths, data_dir, await _other_folders(session, None), await _database_dirs(session)
    )
    values = data.model_dump(exclude={"paths", "scan"})
    values["name"] = data.name.strip()
    return await repo.add_library(session, values, paths)


async def update_library(
    session: AsyncSession, library_id: uuid.UUID, data: LibraryPatch, data_dir: Path
) -> Library:
    library = await get_library(session, library_id)
    changes = data.model_dump(exclude_unset=True, exclude={"paths"})
    if "name" in changes:
        if changes["name"] is None:
            raise BadRequest("A library needs a name.")
        changes["name"] = changes["name"].strip()
        if await repo.name_taken(session, changes["name"], library_id):
            raise Conflict(f"A library named {changes['name']!r} already exists.")
    for key, value in changes.items():
        if key in ("enabled", "scan_settings") and value is None:
            raise BadRequest(f"{key} cannot be null.")
        setattr(library, key, value)
    if data.paths is not None:
        others = await _other_folders(session, library_id)
        paths = check_folders(data.paths, data_dir, others, await _database_dirs(session))
        await repo.set_paths(session, library_id, paths)
    await session.flush()
    await session.refresh(library)
    return library


async def _database_dirs(session: AsyncSession) -> list[str]:
    """The database server's data directory, when it is on this machine and may be read."""
    found = await repo.database_data_dir(session)
    return [found] if found else []


async def get_library(session: AsyncSession, library_id: uuid.UUID) -> Library:
    return must_exist(await repo.get_library(session, library_id), f"No library {library_id}.")


async def list_libraries(
    session: AsyncSession, allowed: set[uuid.UUID] | None
) -> list[tuple[Library, list[str]]]:
    """Each library the caller may see (`allowed`; None: all) with its folders."""
    return await repo.list_libraries(session, allowed)


async def library_paths(session: AsyncSession, library_id: uuid.UUID) -> list[str]:
    return (await repo.paths_by_library(session, [library_id])).get(library_id, [])


async def list_scans(
    session: AsyncSession, library_id: uuid.UUID, limit: int, before: datetime | None
) -> list[LibraryScan]:
    await get_library(session, library_id)
    return await repo.list_scans(session, library_id, limit, before)


async def get_scan(session: AsyncSession, library_id: uuid.UUID, scan_id: uuid.UUID) -> LibraryScan:
    scan = await repo.get_scan(session, scan_id)
    if scan is None or scan.library_id != library_id:
        raise NotFound(f"No scan {scan_id} of library {library_id}.")
    return scan


# The files of a library a scan could not use: unreadable ones, and ones no longer found.
_FILE_LISTS = {"failed": repo.failed_files, "missing": repo.missing_files}


async def problem_files(
    session: AsyncSession,
    library_id: uuid.UUID,
    which: Literal["failed", "missing"],
    limit: int,
    offset: int,
) -> tuple[list[MediaFile], int]:
    """A page of the library's failed or missing files, and how many there are in all."""
    await get_library(session, library_id)
    return await _FILE_LISTS[which](session, library_id, limit, offset)


async def delete_library(session: AsyncSession, library_id: uuid.UUID) -> None:
    """Delete the library and its catalogue rows; files on disk are never touched."""
    if not await repo.delete_library(session, library_id):
        raise NotFound(f"No library {library_id}.")


async def start_scan(
    session: AsyncSession,
    jobs: JobQueue,
    library_id: uuid.UUID,
    scan_type: str,
    folders: list[str] | None = None,
) -> LibraryScan:
    """Queue a scan; a library with a scan already queued or running gets a 409."""
    library = await get_library(session, library_id)
    if not library.enabled:
        raise Conflict(f"Library {library.name!r} is disabled.")
    scan = await repo.create_scan(session, library_id, scan_type, folders)
    payload = ScanLibrary(library_id=library_id, type=scan_type, scan_id=scan.id, folders=folders)
    job_id = await scan_library.enqueue(session, payload, dedupe_key=scan_dedupe_key(library_id))
    if job_id is None:
        raise Conflict(f"A scan of library {library.name!r} is already queued or running.")
    return scan


async def visible_libraries(
    session: AsyncSession, allowed: set[uuid.UUID] | None, kinds: tuple[str, ...] = ()
) -> list[Library]:
    """Libraries the caller may see (of these types, when given), by name."""
    found = [lib for lib, _ in await repo.list_libraries(session, allowed)]
    return [lib for lib in found if not kinds or lib.type in kinds]
