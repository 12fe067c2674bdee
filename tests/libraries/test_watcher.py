"""Realtime monitoring: one watcher per cluster, changes become scans of those folders."""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from revenge.infra.jobs.context import JobContext
from revenge.libraries.jobs import scan as scan_job
from revenge.libraries.jobs import scan_due
from revenge.libraries.watcher import (
    WATCHER_LOCK,
    LibraryWatcher,
    affected_folder,
    reduce_folders,
)
from revenge.runtime import Runtime
from revenge.testing.seed import execute
from tests.libraries.conftest import AS_ADMIN, LibraryMaker, Scanner
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


async def _set(api: httpx.AsyncClient, key: str, value: Any) -> None:
    url = f"/api/v1/admin/settings/{key}"
    response = await api.put(url, json={"value": value}, headers=AS_ADMIN)
    assert response.status_code == 200, response.text


async def test_changes_become_incremental_scans_of_those_folders(
    api: httpx.AsyncClient, app: FastAPI, make_library: LibraryMaker, scan: Scanner,
    clean_runtime: Runtime, tmp_path: Path,
) -> None:  # fmt: skip
    root = tmp_path / "movies"
    make_video(root / "Heat (1995)" / "Heat (1995).mkv")
    make_video(root / "Alien (1979)" / "Alien (1979).mkv")
    library = await make_library("movie", root)
    await scan(library)
    settings = clean_runtime.settings.scanning
    previous = settings.debounce_seconds
    settings.debounce_seconds = 0.2
    # This test plays the nodes itself; the application's own watcher stays out.
    await app.state.watcher.stop()
    await _set(api, "scanning.realtime", True)
    first = LibraryWatcher(clean_runtime, retry_seconds=0.2)
    second = LibraryWatcher(clean_runtime, retry_seconds=0.2)
    try:
        await first.start()
        await asyncio.wait_for(first.active.wait(), 5)

        async def queued() -> bool:
            return bool(await _queued_scans(clean_runtime))

        await _until(queued)  # the catch-up scan of a node that starts watching
        await execute(clean_runtime, "DELETE FROM pgqueuer")
        await second.start()
        await asyncio.sleep(0.5)
        assert not second.active.is_set()  # one watcher for the whole cluster
        await asyncio.sleep(0.5)  # let inotify watches settle
        make_video(root / "Heat (1995)" / "Heat (1995) - 4K.mkv", seconds=0.3)
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


async def test_realtime_setting_starts_and_stops_the_watcher_without_a_restart(
    api: httpx.AsyncClient, app: FastAPI, make_library: LibraryMaker, clean_runtime: Runtime,
    tmp_path: Path,
) -> None:  # fmt: skip
    root = tmp_path / "movies"
    make_video(root / "Heat (1995)" / "Heat (1995).mkv")
    await make_library("movie", root)
    watcher: LibraryWatcher = app.state.watcher
    settings = clean_runtime.settings.scanning
    previous = settings.debounce_seconds
    settings.debounce_seconds = 0.2
    try:
        await asyncio.sleep(0.3)
        assert not watcher.active.is_set()  # the test configuration has it off
        await _set(api, "scanning.realtime", True)
        await asyncio.wait_for(watcher.active.wait(), 5)
        await asyncio.sleep(0.5)  # let inotify watches settle
        await execute(clean_runtime, "DELETE FROM pgqueuer")  # the catch-up scan
        make_video(root / "Alien (1979)" / "Alien (1979).mkv", seconds=0.3)

        async def queued() -> bool:
            return bool(await _queued_scans(clean_runtime))

        await _until(queued)
        await execute(clean_runtime, "DELETE FROM pgqueuer")
        await _set(api, "scanning.realtime", False)

        async def stopped() -> bool:
            # Not watching, and the lock is free again for another node to take.
            held = await rows(
                clean_runtime, "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
                " AND classid = :ns AND objid = :key AND database ="
                " (SELECT oid FROM pg_database WHERE datname = current_database())",
                ns=WATCHER_LOCK[0], key=WATCHER_LOCK[1],
            )  # fmt: skip
            return not watcher.active.is_set() and not held

        await _until(stopped, 5)
        make_video(root / "Up (2009)" / "Up (2009).mkv", seconds=0.3)
        await asyncio.sleep(1.5)
        assert await _queued_scans(clean_runtime) == []
    finally:
        settings.debounce_seconds = previous


async def test_periodic_full_scans_follow_the_interval_setting(
    api: httpx.AsyncClient, make_library: LibraryMaker, scan: Scanner, clean_runtime: Runtime,
    tmp_path: Path,
) -> None:  # fmt: skip
    fresh = await make_library("movie", tmp_path / "fresh")
    stale = await make_library("movie", tmp_path / "stale")
    old = await make_library("movie", tmp_path / "old")
    await scan(fresh, "full")
    await scan(old, "full")
    await scan(stale)  # an incremental scan does not make a library current
    await execute(
        clean_runtime, "UPDATE library_scans SET finished_at = now() - interval '3 hours'"
        " WHERE library_id = :l", l=uuid.UUID(old["id"]),
    )  # fmt: skip
    context = JobContext(clean_runtime, 0, "libraries.scan_due", 1)

    async def due() -> set[str]:
        return {p["library_id"] for p in await _queued_scans(clean_runtime)}

    await scan_due(context, {})  # the test configuration has periodic scans off
    assert await due() == set()
    await _set(api, "scanning.interval_hours", 4)
    await scan_due(context, {})
    assert await due() == {stale["id"]}
    assert all(p["type"] == "full" for p in await _queued_scans(clean_runtime))
    await _set(api, "scanning.interval_hours", 2)
    await scan_due(context, {})
    await scan_due(context, {})
    assert await due() == {stale["id"], old["id"]}
    assert len(await _queued_scans(clean_runtime)) == 2  # deduplicated
    await execute(clean_runtime, "DELETE FROM pgqueuer")
    await _set(api, "scanning.interval_hours", 0)
    await scan_due(context, {})
    assert await due() == set()
