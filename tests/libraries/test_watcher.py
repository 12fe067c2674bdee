"""Realtime monitoring: one watcher per cluster, changes become scans of those folders."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx

from revenge.infra.jobs.context import JobContext
from revenge.libraries.jobs import scan as scan_job
from revenge.libraries.watcher import LibraryWatcher, affected_folder, reduce_folders
from revenge.runtime import Runtime
from tests.libraries.conftest import LibraryMaker, Scanner
from tests.libraries.helpers import files_by_name, rows
from tests.support.media import make_video


async def _queued_scans(runtime: Runtime) -> list[dict[str, Any]]:
    found = await rows(
        runtime, "SELECT payload FROM pgqueuer WHERE entrypoint = 'libraries.scan' ORDER BY id"
    )
    return [json.loads(bytes(r["payload"])) for r in found]


async def _until(predicate: Any, seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if await predicate():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not reached")


def test_folder_helpers(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    (root / "Show" / "Season 1").mkdir(parents=True)
    gone = root / "Show" / "Season 2" / "ep.mkv"
    assert affected_folder(str(gone), str(root)) == str(root / "Show")
    assert affected_folder(str(root / "Show" / "Season 1"), str(root)) == str(
        root / "Show" / "Season 1"
    )
    assert reduce_folders({"/a/b", "/a", "/c/d", "/c/de"}) == ["/a", "/c/d", "/c/de"]


async def test_changes_become_incremental_scans_of_those_folders(
    api: httpx.AsyncClient, make_library: LibraryMaker, scan: Scanner, clean_runtime: Runtime,
    tmp_path: Path,
) -> None:  # fmt: skip
    root = tmp_path / "movies"
    make_video(root / "Heat (1995)" / "Heat (1995).mkv")
    make_video(root / "Alien (1979)" / "Alien (1979).mkv")
    library = await make_library("movie", root)
    await scan(library)
    settings = clean_runtime.settings.scanning
    previous = settings.debounce_seconds
    settings.debounce_seconds = 0.2
    first = LibraryWatcher(clean_runtime, retry_seconds=0.2)
    second = LibraryWatcher(clean_runtime, retry_seconds=0.2)
    try:
        await first.start()
        await asyncio.wait_for(first.active.wait(), 5)
        await second.start()
        await asyncio.sleep(0.5)
        assert not second.active.is_set()  # one watcher for the whole cluster
        await asyncio.sleep(0.5)  # let inotify watches settle
        make_video(root / "Heat (1995)" / "Heat (1995) - 4K.mkv", seconds=0.3)

        async def queued() -> bool:
            return bool(await _queued_scans(clean_runtime))

        await _until(queued)
        payloads = await _queued_scans(clean_runtime)
        assert payloads[0]["folders"] == [str((root / "Heat (1995)").resolve())]
        await scan_job(JobContext(clean_runtime, 0, "libraries.scan", 1), payloads[0])
        files = await files_by_name(clean_runtime)
        assert files["Heat (1995) - 4K.mkv"]["item_id"] == files["Heat (1995).mkv"]["item_id"]
        await first.stop()
        await asyncio.wait_for(second.active.wait(), 10)  # the other node takes over
    finally:
        settings.debounce_seconds = previous
        await first.stop()
        await second.stop()


async def test_folder_scan_marks_missing_only_inside_its_folders(
    make_library: LibraryMaker, scan: Scanner, clean_runtime: Runtime, tmp_path: Path
) -> None:
    root = tmp_path / "movies"
    make_video(root / "A (2001)" / "A (2001).mkv")
    make_video(root / "B (2002)" / "B (2002).mkv", seconds=0.3)
    library = await make_library("movie", root)
    await scan(library)
    (root / "A (2001)" / "A (2001).mkv").unlink()
    (root / "B (2002)" / "B (2002).mkv").unlink()
    state = await scan(library, folders=[str((root / "B (2002)").resolve())])
    assert state.missing == 1
    files = await files_by_name(clean_runtime)
    assert files["A (2001).mkv"]["missing_since"] is None
    assert files["B (2002).mkv"]["missing_since"] is not None


async def test_periodic_full_scans_queue_only_libraries_that_are_due(
    make_library: LibraryMaker, scan: Scanner, clean_runtime: Runtime, tmp_path: Path
) -> None:
    from revenge.libraries.jobs import scan_due

    fresh = await make_library("movie", tmp_path / "fresh")
    stale = await make_library("movie", tmp_path / "stale")
    await scan(fresh, "full")
    await scan_due(JobContext(clean_runtime, 0, "libraries.scan_due", 1), {})
    payloads = await _queued_scans(clean_runtime)
    assert payloads == [{"library_id": stale["id"], "type": "full"}]
    await scan_due(JobContext(clean_runtime, 0, "libraries.scan_due", 1), {})
    assert len(await _queued_scans(clean_runtime)) == 1  # deduplicated
