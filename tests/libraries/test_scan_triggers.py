"""What starts scans without an administrator asking, and files still being copied."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from revenge.infra.jobs.context import JobContext
from revenge.libraries.jobs import scan as scan_job
from revenge.libraries.watcher import LibraryWatcher
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


async def _run(runtime: Runtime, payload: dict[str, Any]) -> None:
    await scan_job(JobContext(runtime, 0, "libraries.scan", 1), payload)


async def _titles(api: httpx.AsyncClient) -> list[str]:
    movies = (await api.get("/api/v1/movies", headers=AS_ADMIN)).json()["items"]
    return sorted(m["title"] for m in movies)


async def test_creating_a_library_queues_its_first_full_scan(
    api: httpx.AsyncClient, clean_runtime: Runtime, tmp_path: Path
) -> None:
    root = tmp_path / "films"
    make_video(root / "Heat (1995)" / "Heat (1995).mkv")
    body = {"name": "Films", "type": "movie", "paths": [str(root)]}
    created = await api.post("/api/v1/libraries", json=body, headers=AS_ADMIN)
    assert created.status_code == 201, created.text
    library = created.json()
    assert library["scan_id"] is not None
    [payload] = await _queued_scans(clean_runtime)
    assert payload["type"] == "full" and payload["scan_id"] == library["scan_id"]
    scans = await api.get(f"/api/v1/libraries/{library['id']}/scans", headers=AS_ADMIN)
    assert [s["id"] for s in scans.json()] == [library["scan_id"]]
    await _run(clean_runtime, payload)
    assert await _titles(api) == ["Heat"]
    # Opting out leaves the library unscanned.
    body = {"name": "Later", "type": "movie", "paths": [str(tmp_path / "later")], "scan": False}
    (tmp_path / "later").mkdir()
    later = (await api.post("/api/v1/libraries", json=body, headers=AS_ADMIN)).json()
    assert later["scan_id"] is None and len(await _queued_scans(clean_runtime)) == 1


async def test_watcher_catches_up_on_files_added_while_stopped(
    api: httpx.AsyncClient, app: FastAPI, make_library: LibraryMaker, scan: Scanner,
    clean_runtime: Runtime, tmp_path: Path,
) -> None:  # fmt: skip
    root = tmp_path / "movies"
    make_video(root / "Heat (1995)" / "Heat (1995).mkv")
    library = await make_library("movie", root)
    await scan(library)
    await execute(clean_runtime, "DELETE FROM pgqueuer")
    # The server is "stopped": nothing watches while a file arrives.
    await app.state.watcher.stop()
    make_video(root / "Alien (1979)" / "Alien (1979).mkv")
    response = await api.put(
        "/api/v1/admin/settings/scanning.realtime", json={"value": True}, headers=AS_ADMIN
    )
    assert response.status_code == 200
    watcher = LibraryWatcher(clean_runtime, retry_seconds=0.2)
    try:
        await watcher.start()  # as `revenge serve` does at start
        await asyncio.wait_for(watcher.active.wait(), 5)
        for _ in range(100):
            if await _queued_scans(clean_runtime):
                break
            await asyncio.sleep(0.05)
        [payload] = await _queued_scans(clean_runtime)
        assert payload == {"library_id": library["id"], "type": "incremental"}
    finally:
        await watcher.stop()
    await _run(clean_runtime, payload)
    assert await _titles(api) == ["Alien", "Heat"]


async def _copy_slowly(source: Path, target: Path, seconds: float) -> None:
    """Write `source` to `target` in pieces over about `seconds`, as a slow copy does."""
    data = source.read_bytes()
    pieces = max(2, int(seconds / 0.05))
    step = len(data) // pieces + 1
    with target.open("wb") as out:
        for start in range(0, len(data), step):
            out.write(data[start : start + step])
            out.flush()
            await asyncio.sleep(0.05)


async def test_file_being_copied_is_catalogued_at_its_final_size(
    make_library: LibraryMaker, scan: Scanner, clean_runtime: Runtime, tmp_path: Path
) -> None:
    source = tmp_path / "source.mkv"
    make_video(source, seconds=1.0)
    root = tmp_path / "movies"
    (root / "Heat (1995)").mkdir(parents=True)
    (root / "Ronin (1998)").mkdir(parents=True)
    library = await make_library("movie", root)
    scanning = clean_runtime.settings.scanning
    scanning.settle_seconds = 0.15  # gives up after 10 quiet periods: 1.5 s
    try:
        # A short copy: the scan waits for it to end and records the whole file.
        copy = asyncio.create_task(_copy_slowly(source, root / "Heat (1995)" / "Heat.mkv", 0.5))
        await asyncio.sleep(0.1)
        await scan(library)
        await copy
        files = await files_by_name(clean_runtime)
        assert files["Heat.mkv"]["size"] == source.stat().st_size
        # A long copy: left for the next scan instead of catalogued half-written.
        target = root / "Ronin (1998)" / "Ronin.mkv"
        copy = asyncio.create_task(_copy_slowly(source, target, 3.0))
        await asyncio.sleep(0.1)
        state = await scan(library)
        assert "Ronin.mkv" not in await files_by_name(clean_runtime)
        assert state.warning is not None and "still being written" in state.warning
        await copy
        await scan(library)
        files = await files_by_name(clean_runtime)
        assert files["Ronin.mkv"]["size"] == source.stat().st_size
    finally:
        scanning.settle_seconds = 0
