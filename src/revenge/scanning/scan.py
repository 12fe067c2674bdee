"""One library scan: walk, diff, recognise moves, read and catalogue files, mark the gone.

Speed: the walk runs in a thread while the known rows load; only new and changed files
are read; each batch of files is written with one COPY and a handful of array statements
in one transaction (never one transaction per file).

Safety: a root that is missing, unreadable or empty (an unmounted disk) marks nothing
missing; missing files are only flagged, and removed by the cleanup job after
`scanning.missing_grace_hours`. One scan per library runs at a time (advisory lock).
"""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func

from revenge.catalog.index_tasks import IndexedItem, IndexItems, index_items
from revenge.catalog.registry import cataloguer_for
from revenge.catalog.totals import CatalogTotals
from revenge.catalog.types import FileToPlace
from revenge.infra.db import raw
from revenge.infra.db.locks import advisory_lock
from revenge.infra.jobs.types import QueuedJob, enqueue_many
from revenge.libraries import repository as lib_repo
from revenge.libraries.scanner import repository as repo
from revenge.libraries.scanner.diff import (
    MISSING,
    Diff,
    Known,
    KnownRow,
    compare,
    match_moves,
)
from revenge.libraries.scanner.prepare import file_row, fingerprint_many, prepare
from revenge.libraries.scanner.settle import still_written
from revenge.libraries.scanner.walk import WalkResult, gc_paused, walk, within
from revenge.libraries.tasks import ProbeFiles, probe_files
from revenge.metadata.tasks import FetchMetadata, ItemRef, fetch_metadata
from revenge.playback.subtitle_scan import refresh_folders as refresh_subtitles

if TYPE_CHECKING:
    from revenge.infra.db.engine import Database
    from revenge.runtime import Runtime

log = logging.getLogger(__name__)

_LOCK_NAMESPACE = 0x5C4
FOLLOW_UP_CHUNK = 500
PROBE_CHUNK = 50


@dataclass
class ScanRequest:
    library_id: uuid.UUID
    scan_type: str = "incremental"
    scan_id: uuid.UUID | None = None
    folders: list[str] | None = None


@dataclass
class ScanState:
    """What a running scan has done so far (mirrored into library_scans)."""

    scan_id: uuid.UUID
    library_id: uuid.UUID
    library_type: str
    roots: list[str]
    seen: int = 0
    added: int = 0
    updated: int = 0
    moved: int = 0
    missing: int = 0
    failed: int = 0
    processed: int = 0
    items: set[tuple[str, uuid.UUID]] = field(default_factory=set)
    probe: list[uuid.UUID] = field(default_factory=list)
    warning: str | None = None
    # Set when an earlier scan of the library stopped part-way (see `_resume`).
    unfinished_since: datetime | None = None
    # The library's `scan_settings.full_walk`: never skip unchanged folders (see `walk`).
    full_walk: bool = False


def lock_key(library_id: uuid.UUID) -> int:
    return int(library_id.int & 0x7FFFFFFF)


@asynccontextmanager
async def library_lock(db: Database, library_id: uuid.UUID) -> AsyncIterator[bool]:
    """Hold the library's scan lock for the block; yields False when another scan has it."""
    async with advisory_lock(db.engine, _LOCK_NAMESPACE, lock_key(library_id)) as held:
        yield held is not None


async def run_scan(runtime: Runtime, request: ScanRequest) -> ScanState | None:
    """Run one scan; None when the library is gone or another scan holds it."""
    async with library_lock(runtime.db, request.library_id) as got:
        if not got:
            await _cancel(runtime, request.scan_id, "another scan of this library is running")
            return None
        state = await _start(runtime, request)
        if state is None:
            return None
        try:
            await _scan(runtime, request, state)
        except Exception as exc:
            async with runtime.db.transaction() as session:
                await lib_repo.update_scan(
                    session, state.scan_id, status="failed", error=str(exc)[:2000],
                    finished_at=func.now(), phase=None,
                )  # fmt: skip
                # What the committed batches created is announced with the failure.
                await runtime.events.scan_finished(
                    session, library_id=state.library_id, scan_id=state.scan_id,
                    counts=_counters(state), error=str(exc)[:2000] or type(exc).__name__,
                )  # fmt: skip
            raise
        return state


async def _cancel(runtime: Runtime, scan_id: uuid.UUID | None, reason: str) -> None:
    if scan_id is None:
        return
    async with runtime.db.transaction() as session:
        await lib_repo.update_scan(
            session, scan_id, status="cancelled", error=reason, finished_at=func.now()
        )


async def _start(runtime: Runtime, request: ScanRequest) -> ScanState | None:
    async with runtime.db.transaction() as session:
        library = await lib_repo.get_library(session, request.library_id)
        if library is None:
            return None
        unfinished_since = await lib_repo.unfinished_since(session, library.id)
        await lib_repo.fail_interrupted_scans(session, library.id)
        scan_id = request.scan_id
        if scan_id is None or await lib_repo.get_scan(session, scan_id) is None:
            scan = await lib_repo.create_scan(
                session, library.id, request.scan_type, request.folders
            )
            scan_id = scan.id
        await lib_repo.update_scan(
            session, scan_id, status="running", phase="walking", started_at=func.now()
        )
        roots = (await lib_repo.paths_by_library(session, [library.id])).get(library.id, [])
    full_walk = bool((library.scan_settings or {}).get("full_walk", False))
    return ScanState(
        scan_id, library.id, library.type, roots,
        unfinished_since=unfinished_since, full_walk=full_walk,
    )  # fmt: skip


async def _resume(runtime: Runtime, state: ScanState) -> None:
    """Take over the follow-up work of files an unfinished earlier scan already wrote.

    A scan killed (or failed) after some batches committed leaves those files catalogued
    but never queued for probing, metadata or the search index: this scan sees them as
    unchanged, so without this their items would stay unfetched and unsearchable.
    """
    if state.unfinished_since is None:
        return
    async with runtime.db.transaction() as session:
        written = await repo.written_since(
            await raw.driver(session), state.library_id, state.unfinished_since
        )
    for file_id, kind, item_kind, item_id, analysis in written:
        if item_kind is not None and item_id is not None:
            state.items.add((item_kind, item_id))
        if kind == "video" and analysis == "pending":
            state.probe.append(file_id)
    log.info(
        "scan of library %s resumes an unfinished scan: %d files written before",
        state.library_id, len(written),
    )  # fmt: skip


async def _load_known(runtime: Runtime, library_id: uuid.UUID) -> dict[str, KnownRow]:
    async with runtime.db.transaction() as session:
        with gc_paused():
            return await repo.load_known(await raw.driver(session), library_id)


async def _load_known_outside(
    runtime: Runtime, library_id: uuid.UUID, listed: list[str]
) -> tuple[dict[str, KnownRow], int]:
    async with runtime.db.transaction() as session:
        return await repo.load_known_outside(await raw.driver(session), library_id, listed)


async def _load_folders(runtime: Runtime, library_id: uuid.UUID) -> dict[str, int | None]:
    async with runtime.db.transaction() as session:
        with gc_paused():
            return await repo.load_folders(await raw.driver(session), library_id)


def _folder_changes(
    state: ScanState, walked: WalkResult, before: dict[str, int | None]
) -> tuple[list[tuple[str, int | None]], list[str]]:
    """Snapshot rows to write and to drop after this walk (only under what it walked)."""
    after = walked.folders
    changed = [(p, m) for p, m in after.items() if p not in before or before[p] != m]
    tops = walked.walked_tops
    gone = [
        p
        for p in before
        if p not in after
        and (any(within(p, t) for t in tops) or not any(within(p, r) for r in state.roots))
    ]
    return changed, gone


async def _load_rows(runtime: Runtime, library_id: uuid.UUID, paths: list[str]) -> dict[str, Known]:
    async with runtime.db.transaction() as session:
        return await repo.load_rows(await raw.driver(session), library_id, paths)


def _scope(
    state: ScanState, walked: WalkResult, folders: list[str] | None, known: dict[str, KnownRow]
) -> Callable[[str], bool]:
    """Which known paths may be declared gone by this scan."""
    usable = []
    for root in state.roots:
        empty = (
            folders is None
            and walked.per_root.get(root, 0) == 0
            and any(within(p, root) and not k[MISSING] for p, k in known.items())
        )
        if root in walked.unavailable_roots or empty:
            state.warning = f"{root} is unavailable or empty; nothing under it was marked missing"
            continue
        usable.append(root)
    tops = folders if folders is not None else usable

    def in_scope(path: str) -> bool:
        return any(within(path, r) for r in usable) and any(within(path, t) for t in tops)

    return in_scope


async def _scan(runtime: Runtime, request: ScanRequest, state: ScanState) -> None:
    cataloguer = cataloguer_for(state.library_type)
    await _resume(runtime, state)
    before = await _load_folders(runtime, state.library_id)
    # Only an incremental scan of the whole library skips unchanged folders: a "full" scan
    # re-reads everything (in-place changes too), and a scan of named folders (the watcher
    # saw something change in them) lists those folders whatever their mtime says.
    # A library can opt out (`scan_settings.full_walk`) when its disk lies about mtimes in a
    # way the mount table does not show (a local mount of a synced or remote folder).
    skip = request.scan_type == "incremental" and request.folders is None and not state.full_walk
    # Walk, then load: side by side (on two cores shared with PostgreSQL) they were slower.
    walked = await asyncio.to_thread(
        walk, state.roots, cataloguer.extensions, request.folders, before if skip else None
    )
    skipped = 0
    if walked.unchanged_folders:
        listed = [p for p in before if p not in walked.unchanged_folders]
        known, skipped = await _load_known_outside(runtime, state.library_id, listed)
    else:
        known = await _load_known(runtime, state.library_id)
    diff = compare(
        walked.files, known, _scope(state, walked, request.folders, known),
        reread_all=request.scan_type == "full",
    )  # fmt: skip
    diff.skipped = skipped
    state.seen = len(walked.files) + skipped
    await _skip_unsettled(runtime, state, diff, walked)
    if diff.new or diff.changed:
        await _progress(runtime, state, "reading")
    needed = diff.paths_needing_rows()
    full = await _load_rows(runtime, state.library_id, needed) if needed or diff.new else {}
    changed = [(full[p], f) for p, f in diff.changed]
    gone = [full[p] for p in diff.gone]
    printed = await asyncio.to_thread(fingerprint_many, diff.new)
    present = {p for p, _ in diff.changed} | {p for p, _ in diff.restored}
    candidates = gone + [k for k in full.values() if k.missing and k.path not in present]
    moves = match_moves([(f, fp) for f, fp, err in printed if err is None], candidates)
    moved_paths = {f.path for _, f, _ in moves}
    work: list[tuple[uuid.UUID, Any, str | None, str | None]] = [
        (uuid.uuid4(), f, fp, err) for f, fp, err in printed if f.path not in moved_paths
    ]
    work += [(row.id, f, None, None) for row, f in changed]
    state.added = len(work) - len(changed)
    state.updated = len(changed)
    batch_size = runtime.settings.scanning.batch_size
    for start in range(0, len(work), batch_size):
        await _process_batch(runtime, state, cataloguer, work[start : start + batch_size])
    restored = [full[p].id for p, _ in diff.restored]
    await _finish(runtime, state, gone, restored, moves, _folder_changes(state, walked, before))
    # What changed may be a subtitle file beside an unchanged video, or a video moved with
    # its subtitle files (moves are not probed again).
    folders = {*(request.folders or ()), *(os.path.dirname(f.path) for _, f, _ in moves)}
    if folders and cataloguer.media_kind == "video":
        async with runtime.db.transaction() as session:
            await refresh_subtitles(session, state.library_id, sorted(folders))


async def _skip_unsettled(
    runtime: Runtime, state: ScanState, diff: Diff, walked: WalkResult
) -> None:
    """Leave files still being copied for a later scan (see `settle`)."""
    reading = [*diff.new, *(f for _, f in diff.changed)]
    busy = await still_written(reading, runtime.settings.scanning.settle_seconds)
    if not busy:
        return
    for path in busy:
        # The next scan must list the folder again to pick the file up once it settles.
        walked.folders[os.path.dirname(path)] = None
    diff.new = [f for f in diff.new if f.path not in busy]
    diff.changed = [(p, f) for p, f in diff.changed if p not in busy]
    state.warning = state.warning or (
        f"{len(busy)} file(s) still being written were left for the next scan"
    )
    log.info("scan of library %s: %d file(s) still being written", state.library_id, len(busy))


async def _process_batch(
    runtime: Runtime, state: ScanState, cataloguer: Any, batch: list[Any]
) -> None:
    prepared = await asyncio.to_thread(prepare, batch, state.roots, cataloguer.media_kind)
    async with runtime.db.transaction() as session:
        CatalogTotals(runtime.cache).changed(session)
        conn = await raw.driver(session)
        placed = await cataloguer.place(
            conn, state.library_id,
            [FileToPlace(p.file_id, p.found.path, p.parts, p.facts) for p in prepared],
        )  # fmt: skip
        rows = [
            file_row(p, state.library_id, cataloguer.media_kind, placed.placements[p.file_id])
            for p in prepared
        ]
        await repo.write_files(conn, rows)
        await runtime.events.hold_new_items(session, state.library_id, placed.new_items)
        state.items.update(placed.touched_items)
        state.failed += sum(1 for p in prepared if p.failure)
        state.probe += [
            p.file_id for p in prepared if cataloguer.media_kind == "video" and not p.failure
        ]
        state.processed += len(prepared)
        await _write_progress(session, state, "reading")
        await runtime.events.scan_progress(
            session, state.library_id, state.scan_id, "reading", _counters(state)
        )


async def _finish(
    runtime: Runtime,
    state: ScanState,
    vanished: list[Known],
    restored: list[uuid.UUID],
    moves: list[tuple[Known, Any, str]],
    folders: tuple[list[tuple[str, int | None]], list[str]],
) -> None:
    cataloguer = cataloguer_for(state.library_type)
    moved_ids = {row.id for row, _, _ in moves}
    gone = [row.id for row in vanished if row.id not in moved_ids]
    state.moved, state.missing = len(moves), len(gone)
    async with runtime.db.transaction() as session:
        CatalogTotals(runtime.cache).changed(session)
        conn = await raw.driver(session)
        await repo.apply_moves(
            conn,
            [
                (row.id, f.path, os.path.dirname(f.path), f.size, f.mtime_ns, f.inode, f.device)
                for row, f, _ in moves
            ],
        )
        await repo.set_missing(conn, gone, restored)
        # Written with what the scan catalogued: a failed scan keeps the old snapshot.
        await repo.save_folders(conn, state.library_id, *folders)
        affected = await repo.items_of_files(conn, [*moved_ids, *gone])
        item_ids = {i for _, i in state.items} | {i for _, i in affected}
        if item_ids:
            await cataloguer.finish(conn, state.library_id, item_ids)
        await _enqueue_follow_ups(runtime, session, state)
        await lib_repo.update_scan(
            session, state.scan_id, status="completed", finished_at=func.now(), phase=None,
            error=state.warning, **_counters(state),
        )  # fmt: skip
        await runtime.events.scan_finished(
            session, library_id=state.library_id, scan_id=state.scan_id, counts=_counters(state)
        )
    log.info(
        "scan of library %s: %d seen, %d added, %d updated, %d moved, %d missing, %d failed",
        state.library_id, state.seen, state.added, state.updated, state.moved,
        state.missing, state.failed,
    )  # fmt: skip


async def _enqueue_follow_ups(runtime: Runtime, session: Any, state: ScanState) -> None:
    """Batched follow-up jobs: probing of video files, metadata (unless the
    `metadata.auto_fetch` setting is off) and search of items."""
    library = state.library_id
    items = sorted(((k, str(i)) for k, i in state.items), key=lambda pair: pair[1])
    fetch = bool(await runtime.server_settings.get("metadata.auto_fetch"))
    jobs: list[QueuedJob] = []
    for start in range(0, len(items), FOLLOW_UP_CHUNK):
        chunk = items[start : start + FOLLOW_UP_CHUNK]
        if fetch:
            refs = [ItemRef(kind=k, id=i) for k, i in chunk]
            jobs.append(fetch_metadata.job(FetchMetadata(library_id=library, items=refs)))
        indexed = [IndexedItem(kind=k, id=uuid.UUID(i)) for k, i in chunk]
        jobs.append(index_items.job(IndexItems(library_id=library, items=indexed)))
    probe = list(dict.fromkeys(state.probe))
    for start in range(0, len(probe), PROBE_CHUNK):
        ids = probe[start : start + PROBE_CHUNK]
        jobs.append(probe_files.job(ProbeFiles(library_id=library, file_ids=ids)))
    await enqueue_many(session, jobs)


def _counters(state: ScanState) -> dict[str, int]:
    return {
        "files_seen": state.seen,
        "files_added": state.added,
        "files_updated": state.updated,
        "files_moved": state.moved,
        "files_missing": state.missing,
        "files_failed": state.failed,
        "files_processed": state.processed,
    }


async def _write_progress(session: Any, state: ScanState, phase: str) -> None:
    await lib_repo.update_scan(session, state.scan_id, phase=phase, **_counters(state))


async def _progress(runtime: Runtime, state: ScanState, phase: str) -> None:
    async with runtime.db.transaction() as session:
        await _write_progress(session, state, phase)
        await runtime.events.scan_progress(
            session, state.library_id, state.scan_id, phase, _counters(state)
        )
