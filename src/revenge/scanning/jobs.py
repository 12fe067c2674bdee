"""Library jobs: scans (full or incremental, optionally of some folders only), video
probing (streams, and the subtitle files beside each video), and the hourly check that
starts full scans every `scanning.interval_hours` (a server setting, so a change applies
from the next check on)."""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Any

from revenge.infra.jobs.context import JobContext
from revenge.infra.jobs.types import NoPayload
from revenge.libraries import repository as lib_repo
from revenge.libraries.probe import Prober
from revenge.libraries.scanner import repository as scan_repo
from revenge.libraries.tasks import (
    ProbeFiles,
    ScanLibrary,
    probe_files,
    scan_dedupe_key,
    scan_library,
)
from revenge.libraries.tasks import scan_due as scan_due_job
from revenge.playback.subtitle_names import discover as discover_subtitles
from revenge.playback.subtitle_repository import replace_sidecars
from revenge.scanning.scan import ScanRequest, run_scan

log = logging.getLogger(__name__)


@scan_library.handler
async def scan(ctx: JobContext, payload: ScanLibrary) -> None:
    request = ScanRequest(
        library_id=payload.library_id,
        scan_type=payload.type,
        scan_id=payload.scan_id,
        folders=payload.folders,
    )
    await run_scan(ctx.runtime, request)


@probe_files.handler
async def probe(ctx: JobContext, payload: ProbeFiles) -> None:
    """Probe a batch of video files; each failure is stored on its file, never raised."""
    ids = list(payload.file_ids)
    async with ctx.runtime.db.transaction() as session:
        files = await scan_repo.files_to_probe(session, ids)
    prober = Prober(ctx.runtime.settings.scanning.probe_timeout_seconds)
    results: dict[uuid.UUID, dict[str, Any]] = {}
    try:
        for file_id, path in files:
            results[file_id] = await prober.probe(path)
    finally:
        await prober.close()
    # Subtitle files beside each video, by name, so playback lists them without the disk.
    sidecars = await asyncio.to_thread(lambda: {i: discover_subtitles(p) for i, p in files})
    if results:
        async with ctx.runtime.db.transaction() as session:
            await scan_repo.save_probes(session, results)
            await replace_sidecars(session, sidecars)


@scan_due_job.handler
async def scan_due(ctx: JobContext, payload: NoPayload) -> None:
    """Queue a full scan of every enabled library whose last completed full scan is older
    than the `scanning.interval_hours` server setting (0: never)."""
    hours = int(await ctx.runtime.server_settings.get("scanning.interval_hours"))
    if hours <= 0:
        return
    async with ctx.runtime.db.transaction() as session:
        for library_id in await lib_repo.libraries_due_for_scan(session, hours):
            await scan_library.enqueue(
                session,
                ScanLibrary(library_id=library_id, type="full"),
                dedupe_key=scan_dedupe_key(library_id),
            )
