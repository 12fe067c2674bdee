"""Scans through the API and a real worker: queued once per library, progress and history."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from revenge.infra.jobs.worker import Worker
from revenge.runtime import Runtime
from tests.libraries.conftest import AS_ADMIN, AS_USER, LibraryMaker, Scanner
from tests.libraries.helpers import rows
from tests.support.media import make_video


async def _wait_for_scan(api: httpx.AsyncClient, library_id: str, scan_id: str) -> dict:  # type: ignore[type-arg]
    for _ in range(200):
        scan = (
            await api.get(f"/api/v1/libraries/{library_id}/scans/{scan_id}", headers=AS_ADMIN)
        ).json()
        if scan["status"] in ("completed", "failed", "cancelled"):
            return scan  # type: ignore[no-any-return]
        await asyncio.sleep(0.05)
    raise AssertionError("scan did not finish")


async def test_scan_runs_once_per_library_through_a_worker(
    api: httpx.AsyncClient, make_library: LibraryMaker, clean_runtime: Runtime, tmp_path: Path
) -> None:
    root = tmp_path / "movies"
    make_video(root / "Heat (1995).mkv")
    make_video(root / "Alien (1979).mkv")
    library = await make_library("movie", root)
    url = f"/api/v1/libraries/{library['id']}/scans"
    assert (await api.post(url, json={"type": "full"}, headers=AS_USER)).status_code == 403
    first = await api.post(url, json={"type": "full"}, headers=AS_ADMIN)
    assert first.status_code == 202, first.text
    assert first.json()["status"] == "queued"
    again = await api.post(url, headers=AS_ADMIN)
    assert again.status_code == 409
    assert "already queued or running" in again.json()["detail"]
    worker = Worker(clean_runtime, ("scan",))
    await worker.start()
    try:
        scan = await _wait_for_scan(api, library["id"], first.json()["id"])
        assert scan["status"] == "completed", scan
        assert (scan["files_seen"], scan["files_added"], scan["type"]) == (2, 2, "full")
        for _ in range(100):
            probed = await rows(clean_runtime, "SELECT analysis FROM media_files")
            if all(r["analysis"] == "ok" for r in probed):
                break
            await asyncio.sleep(0.05)
        assert [r["analysis"] for r in probed] == ["ok", "ok"]
    finally:
        await worker.stop()
    history = (await api.get(url, headers=AS_ADMIN)).json()
    assert [h["id"] for h in history] == [first.json()["id"]]
    jobs = await rows(clean_runtime, "SELECT entrypoint FROM pgqueuer ORDER BY id")
    follow_ups = {j["entrypoint"] for j in jobs}
    assert {"metadata.fetch", "search.index"} <= follow_ups


async def test_scans_queue_metadata_fetches_only_while_auto_fetch_is_on(
    api: httpx.AsyncClient, make_library: LibraryMaker, scan: Scanner, clean_runtime: Runtime,
    tmp_path: Path,
) -> None:  # fmt: skip
    root = tmp_path / "movies"
    make_video(root / "Heat (1995)" / "Heat (1995).mkv")
    library = await make_library("movie", root)

    async def queued() -> dict[str, int]:
        jobs = await rows(
            clean_runtime, "SELECT entrypoint, count(*) AS n FROM pgqueuer GROUP BY entrypoint"
        )
        return {j["entrypoint"]: j["n"] for j in jobs}

    off = await api.put(
        "/api/v1/admin/settings/metadata.auto_fetch", json={"value": False}, headers=AS_ADMIN
    )
    assert off.status_code == 200
    await scan(library)
    jobs = await queued()
    assert "metadata.fetch" not in jobs and jobs["search.index"] == 1
    reset = await api.delete("/api/v1/admin/settings/metadata.auto_fetch", headers=AS_ADMIN)
    assert reset.json()["value"] is True
    make_video(root / "Alien (1979)" / "Alien (1979).mkv", seconds=0.3)
    await scan(library)
    assert (await queued())["metadata.fetch"] == 1


async def test_scan_of_unknown_or_disabled_library(
    api: httpx.AsyncClient, make_library: LibraryMaker, tmp_path: Path
) -> None:
    missing = await api.post(
        "/api/v1/libraries/00000000-0000-0000-0000-000000000009/scans", headers=AS_ADMIN
    )
    assert missing.status_code == 404
    library = await make_library("movie", tmp_path / "m")
    await api.patch(f"/api/v1/libraries/{library['id']}", json={"enabled": False}, headers=AS_ADMIN)
    disabled = await api.post(f"/api/v1/libraries/{library['id']}/scans", headers=AS_ADMIN)
    assert disabled.status_code == 409
    bad = await api.post(
        f"/api/v1/libraries/{library['id']}/scans", json={"type": "quick"}, headers=AS_ADMIN
    )
    assert bad.status_code == 422
