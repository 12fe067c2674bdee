"""Library API: administration, scans and their progress, files that failed to read."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from revenge.api.deps import AdminUser, CurrentUser, DbSession, RuntimeDep
from revenge.api.openapi import problem_responses
from revenge.api.params import DateTimeParam
from revenge.catalog.totals import CatalogTotals
from revenge.errors import NotFound
from revenge.identity import Principal
from revenge.libraries.access import allowed_library_ids
from revenge.libraries.models import Library, LibraryScan
from revenge.scanning import service
from revenge.scanning.schemas import (
    FailedFile,
    FailedFilePage,
    LibraryIn,
    LibraryOut,
    LibraryPatch,
    MissingFile,
    MissingFilePage,
    ScanIn,
    ScanOut,
)

router = APIRouter()


def _out(library: Library, paths: list[str], principal: Principal) -> LibraryOut:
    # Folder paths describe the server's disks: administrators only.
    return LibraryOut.from_row(library, paths=paths if principal.role == "admin" else [])


def _scan_out(scan: LibraryScan) -> ScanOut:
    return ScanOut.model_validate(scan, from_attributes=True)


@router.get("")
async def list_libraries(user: CurrentUser, session: DbSession) -> list[LibraryOut]:
    """Libraries the caller may see."""
    allowed = await allowed_library_ids(session, user)
    return [_out(lib, paths, user) for lib, paths in await service.list_libraries(session, allowed)]


_NAME_TAKEN = problem_responses({409: "Another library has this name."})


@router.post("", status_code=201, responses=_NAME_TAKEN)
async def create_library(
    body: LibraryIn, admin: AdminUser, session: DbSession, runtime: RuntimeDep
) -> LibraryOut:
    """Create a library; each folder must exist, be readable and overlap no other library.

    A full scan of it is queued at once (`scan: false` leaves that to a later request)."""
    library = await service.create_library(session, body, runtime.settings.data_dir)
    paths = await service.library_paths(session, library.id)
    out = _out(library, paths, admin)
    if body.scan and library.enabled:
        scan = await service.start_scan(session, runtime.jobs, library.id, "full")
        out.scan_id = scan.id
    return out


@router.get("/{library_id}")
async def get_library(library_id: uuid.UUID, user: CurrentUser, session: DbSession) -> LibraryOut:
    allowed = await allowed_library_ids(session, user)
    if allowed is not None and library_id not in allowed:
        raise NotFound(f"No library {library_id}.")
    library = await service.get_library(session, library_id)
    paths = await service.library_paths(session, library_id)
    return _out(library, paths, user)


@router.patch("/{library_id}", responses=_NAME_TAKEN)
async def update_library(
    library_id: uuid.UUID,
    body: LibraryPatch,
    admin: AdminUser,
    session: DbSession,
    runtime: RuntimeDep,
) -> LibraryOut:
    library = await service.update_library(session, library_id, body, runtime.settings.data_dir)
    paths = await service.library_paths(session, library_id)
    return _out(library, paths, admin)


@router.delete("/{library_id}", status_code=204)
async def delete_library(
    library_id: uuid.UUID, _: AdminUser, session: DbSession, runtime: RuntimeDep
) -> Response:
    """Delete the library and its catalogue; files on disk stay untouched."""
    await service.delete_library(session, library_id)
    CatalogTotals(runtime.cache).changed(session)
    return Response(status_code=204)


@router.post(
    "/{library_id}/scans",
    status_code=202,
    responses=problem_responses(
        {409: "The library is disabled, or a scan of it is queued or running."}
    ),
)
async def start_scan(
    library_id: uuid.UUID, _: AdminUser, session: DbSession, runtime: RuntimeDep,
    body: ScanIn | None = None,
) -> ScanOut:  # fmt: skip
    """Queue a full or incremental scan (409 while one is queued or running)."""
    scan_type = body.type if body is not None else "incremental"
    scan = await service.start_scan(session, runtime.jobs, library_id, scan_type)
    await session.refresh(scan)
    return _scan_out(scan)


@router.get("/{library_id}/scans")
async def list_scans(
    library_id: uuid.UUID,
    _: AdminUser,
    session: DbSession,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    before: DateTimeParam | None = None,
) -> list[ScanOut]:
    """Scan history, newest first; page with `before` (a started_at)."""
    scans = await service.list_scans(session, library_id, limit, before)
    return [_scan_out(s) for s in scans]


@router.get("/{library_id}/scans/{scan_id}")
async def get_scan(
    library_id: uuid.UUID, scan_id: uuid.UUID, _: AdminUser, session: DbSession
) -> ScanOut:
    """One scan with its live counters."""
    return _scan_out(await service.get_scan(session, library_id, scan_id))


Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]


@router.get("/{library_id}/failed-files")
async def failed_files(
    library_id: uuid.UUID, _: AdminUser, session: DbSession, limit: Limit = 100, offset: Offset = 0
) -> FailedFilePage:
    """Files that could not be read or probed, with the reason."""
    files, total = await service.problem_files(session, library_id, "failed", limit, offset)
    items = [FailedFile.from_row(f, reason=f.failure_reason) for f in files]
    return FailedFilePage(items=items, total=total, limit=limit, offset=offset)


@router.get("/{library_id}/missing-files")
async def missing_files(
    library_id: uuid.UUID, _: AdminUser, session: DbSession, limit: Limit = 100, offset: Offset = 0
) -> MissingFilePage:
    """Files a scan no longer found (kept until the grace period ends, then purged)."""
    files, total = await service.problem_files(session, library_id, "missing", limit, offset)
    items = [MissingFile.from_row(f) for f in files if f.missing_since is not None]
    return MissingFilePage(items=items, total=total, limit=limit, offset=offset)
