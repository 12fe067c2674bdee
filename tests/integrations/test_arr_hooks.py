"""Radarr/Sonarr/Lidarr webhooks: authenticated by secret, scanning only the changed folder."""

from __future__ import annotations

import asyncio
import base64
import logging
from pathlib import Path
from typing import Any

import httpx
import pytest

from revenge.infra.jobs.context import JobContext
from revenge.infra.jobs.worker import Worker
from revenge.integrations.arr import PathMapping, changed_folders, map_path
from revenge.integrations.jobs import scan_requested
from revenge.runtime import Runtime
from revenge.testing.seed import execute
from tests.integrations.conftest import queued, run_queued, set_setting
from tests.libraries.conftest import AS_ADMIN, LibraryMaker, Scanner
from tests.libraries.helpers import files_by_name, rows
from tests.support.media import make_video


def sonarr_download(series_path: str, relative: str) -> dict[str, Any]:
    """A Sonarr v4 "On Import" webhook body (as its Webhook connection posts it)."""
    return {
        "series": {
            "id": 7, "title": "Severance", "titleSlug": "severance", "path": series_path,
            "tvdbId": 371980, "tvMazeId": 44933, "imdbId": "tt11280740", "type": "standard",
            "year": 2022,
        },
        "episodes": [{
            "id": 70, "episodeNumber": 2, "seasonNumber": 1, "title": "Half Loop",
            "airDate": "2022-02-18", "airDateUtc": "2022-02-18T08:00:00Z",
        }],
        "episodeFile": {
            "id": 701, "relativePath": relative, "path": f"{series_path}/{relative}",
            "quality": "WEBDL-1080p", "qualityVersion": 1, "releaseGroup": "NTb",
            "size": 1234567,
        },
        "isUpgrade": False,
        "downloadClient": "qBittorrent",
        "downloadClientType": "qBittorrent",
        "downloadId": "8D2F6B1E",
        "eventType": "Download",
        "instanceName": "Sonarr",
        "applicationUrl": "",
    }  # fmt: skip


async def _integration(
    api: httpx.AsyncClient, kind: str, mappings: list[dict[str, str]]
) -> dict[str, Any]:
    body = {"name": f"{kind} at home", "kind": kind, "path_mappings": mappings}
    response = await api.post("/api/v1/admin/integrations", json=body, headers=AS_ADMIN)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    assert created["webhook_url_with_secret"].endswith(f"?secret={created['secret']}")
    return created


def _hook_path(integration: dict[str, Any]) -> str:
    return httpx.URL(integration["webhook_url"]).path


@pytest.fixture
async def tv(
    api: httpx.AsyncClient, make_library: LibraryMaker, scan: Scanner, tmp_path: Path
) -> tuple[dict[str, Any], Path]:
    """A scanned TV library of two shows, each then given a new episode on disk."""
    root = tmp_path / "tv"
    make_video(root / "Severance" / "Season 01" / "Severance - S01E01.mkv")
    make_video(root / "Andor" / "Season 01" / "Andor - S01E01.mkv")
    library = await make_library("tv", root)
    await scan(library)
    make_video(root / "Severance" / "Season 01" / "Severance - S01E02.mkv")
    make_video(root / "Andor" / "Season 01" / "Andor - S01E02.mkv")
    return library, root


async def test_sonarr_import_scans_only_that_folder(
    api: httpx.AsyncClient, clean_runtime: Runtime, tv: tuple[dict[str, Any], Path]
) -> None:
    library, root = tv
    # Sonarr runs in a container that mounts the same disk at /tv.
    sonarr = await _integration(api, "sonarr", [{"remote": "/tv", "local": str(root)}])
    body = sonarr_download("/tv/Severance", "Season 01/Severance - S01E02.mkv")
    response = await api.post(_hook_path(sonarr), params={"secret": sonarr["secret"]}, json=body)
    assert response.status_code == 202, response.text
    season = str(root / "Severance" / "Season 01")
    assert response.json() == {"status": "queued", "folders": [season], "reason": None}

    assert await run_queued(clean_runtime, "integrations.scan_requested") == 1
    scans = await queued(clean_runtime, "libraries.scan")
    assert len(scans) == 1 and scans[0]["folders"] == [season]
    assert scans[0]["library_id"] == library["id"]
    assert await run_queued(clean_runtime, "libraries.scan") == 1

    files = await files_by_name(clean_runtime)
    assert "Severance - S01E02.mkv" in files
    assert "Andor - S01E02.mkv" not in files  # the other show's folder was not walked
    done = await rows(clean_runtime, "SELECT folders, status, files_added FROM library_scans")
    assert {"folders": [season], "status": "completed", "files_added": 1} in done
    listed = await api.get("/api/v1/admin/integrations", headers=AS_ADMIN)
    assert listed.json()[0]["last_event"] == "Download"


async def test_wrong_secret_is_401_and_queues_nothing(
    api: httpx.AsyncClient, clean_runtime: Runtime, tv: tuple[dict[str, Any], Path]
) -> None:
    _, root = tv
    sonarr = await _integration(api, "sonarr", [])
    body = sonarr_download(str(root / "Severance"), "Season 01/Severance - S01E02.mkv")
    path = _hook_path(sonarr)
    for attempt in (
        {"params": {"secret": "not-the-secret"}},
        {},
        {"headers": {"X-Revenge-Secret": sonarr["secret"][:-1] + "x"}},
    ):
        response = await api.post(path, json=body, **attempt)  # type: ignore[arg-type]
        assert response.status_code == 401, response.text
        assert response.headers["content-type"] == "application/problem+json"
    assert await queued(clean_runtime, "integrations.scan_requested") == []
    # What *arr "Webhook" connections can send: basic auth, or a custom header.
    basic = base64.b64encode(f"sonarr:{sonarr['secret']}".encode()).decode()
    ok = await api.post(
        path, json={"eventType": "Test"}, headers={"Authorization": f"Basic {basic}"}
    )
    assert ok.status_code == 200, ok.text
    ok = await api.post(
        path, json={"eventType": "Test"}, headers={"X-Revenge-Secret": sonarr["secret"]}
    )
    assert ok.status_code == 200 and ok.json()["status"] == "ok"
    assert await queued(clean_runtime, "integrations.scan_requested") == []


async def test_folder_outside_every_library_is_202_and_scans_nothing(
    api: httpx.AsyncClient, clean_runtime: Runtime, tv: tuple[dict[str, Any], Path],
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    radarr = await _integration(api, "radarr", [])
    body = {
        "eventType": "Download", "isUpgrade": False, "instanceName": "Radarr",
        "movie": {"id": 1, "title": "Heat", "year": 1995, "folderPath": "/movies/Heat (1995)",
                  "tmdbId": 949, "imdbId": "tt0113277"},
        "movieFile": {"id": 3, "relativePath": "Heat (1995).mkv",
                      "path": "/movies/Heat (1995)/Heat (1995).mkv", "quality": "Bluray-1080p"},
    }  # fmt: skip
    with caplog.at_level(logging.WARNING, logger="revenge.integrations.service"):
        response = await api.post(
            _hook_path(radarr), params={"secret": radarr["secret"]}, json=body
        )
    assert response.status_code == 202, response.text
    assert response.json()["status"] == "ignored"
    assert "/movies/Heat (1995)" in response.json()["reason"]
    assert any("outside every enabled library" in r.getMessage() for r in caplog.records)
    assert await queued(clean_runtime, "integrations.scan_requested") == []
    assert await queued(clean_runtime, "libraries.scan") == []


async def test_repeated_hooks_for_one_folder_coalesce_into_one_scan(
    api: httpx.AsyncClient, clean_runtime: Runtime, tv: tuple[dict[str, Any], Path]
) -> None:
    library, root = tv
    await set_setting(api, "integrations.hook_debounce_seconds", 30)
    sonarr = await _integration(api, "sonarr", [])
    path, secret = _hook_path(sonarr), {"secret": sonarr["secret"]}
    series = str(root / "Severance")
    for relative in ("Season 01/Severance - S01E02.mkv",) * 4 + ("Season 01/x.nfo",):
        response = await api.post(path, params=secret, json=sonarr_download(series, relative))
        assert response.status_code == 202
    rename = {"eventType": "Rename", "series": {"id": 7, "title": "Severance", "path": series}}
    assert (await api.post(path, params=secret, json=rename)).status_code == 202

    # One delayed job waits for all of them; it queues one scan of the folders they named.
    assert len(await queued(clean_runtime, "integrations.scan_requested")) == 1
    await run_queued(clean_runtime, "integrations.scan_requested")
    scans = await queued(clean_runtime, "libraries.scan")
    assert [s["folders"] for s in scans] == [[series]]  # the season lies inside the series
    assert await rows(clean_runtime, "SELECT * FROM integration_scan_requests") == []
    # A hook while that scan is queued waits, and gets its own scan once it has run.
    body = sonarr_download(series, "Season 01/Severance - S01E03.mkv")
    assert (await api.post(path, params=secret, json=body)).status_code == 202
    await run_queued(clean_runtime, "integrations.scan_requested")
    assert len(await queued(clean_runtime, "libraries.scan")) == 1
    await run_queued(clean_runtime, "libraries.scan")
    # The minutely run of the job queues the one left, once no hook came for a window.
    minutely = JobContext(clean_runtime, 0, "integrations.scan_requested", 1)
    await scan_requested(minutely, {})
    assert await queued(clean_runtime, "libraries.scan") == []
    await execute(
        clean_runtime,
        "UPDATE integration_scan_requests SET requested_at = now() - interval '31 seconds'",
    )
    await scan_requested(minutely, {})
    assert [s["folders"] for s in await queued(clean_runtime, "libraries.scan")] == [
        [str(root / "Severance" / "Season 01")]
    ]
    assert library["id"]


def test_payload_shapes_and_path_mapping() -> None:
    radarr = {
        "eventType": "MovieFileDelete",
        "movie": {"folderPath": "/data/movies/Heat (1995)"},
        "movieFile": {"relativePath": "Heat (1995).mkv"},
    }
    assert changed_folders(radarr) == ["/data/movies/Heat (1995)"]
    lidarr = {
        "eventType": "Download",
        "artist": {"path": "/music/Björk"},
        "trackFiles": [{"path": "/music/Björk/Post (1995)/01 - Army of Me.flac"},
                       {"path": "/music/Björk/Post (1995)/02 - Hyperballad.flac"}],
    }  # fmt: skip
    assert changed_folders(lidarr) == ["/music/Björk/Post (1995)"]
    renamed = {
        "eventType": "Rename",
        "series": {"path": "/tv/Andor"},
        "renamedEpisodeFiles": [{
            "relativePath": "Season 01/Andor - S01E01 - Kassa.mkv",
            "path": "/tv/Andor/Season 01/Andor - S01E01 - Kassa.mkv",
            "previousRelativePath": "Andor.S01E01.mkv",
            "previousPath": "/tv/Andor/Andor.S01E01.mkv",
        }],
    }  # fmt: skip
    assert changed_folders(renamed) == ["/tv/Andor", "/tv/Andor/Season 01"]
    deleted = {"eventType": "SeriesDelete", "series": {"path": "/tv/Andor"}}
    assert changed_folders(deleted) == ["/tv/Andor"]
    climbing = {"series": {"path": "/tv/Andor"}, "episodeFile": {"relativePath": "../../etc/x"}}
    assert changed_folders(climbing) == ["/tv/Andor"]
    windows = [PathMapping("D:\\Media", "/srv/media"), PathMapping("/data", "/srv")]
    assert map_path("D:\\Media\\TV\\Andor", windows) == "/srv/media/TV/Andor"
    assert map_path("/data/tv/Andor", windows) == "/srv/tv/Andor"
    assert map_path("/other/x", windows) == "/other/x"


# Scans of some folders only (the fixture's first scan covers the whole library).
HOOK_SCANS = "SELECT folders, status FROM library_scans WHERE jsonb_typeof(folders) = 'array'"


async def test_a_burst_of_hooks_becomes_one_scan_through_the_job_worker(
    api: httpx.AsyncClient, clean_runtime: Runtime, tv: tuple[dict[str, Any], Path]
) -> None:
    """The same path with the real queue: delayed, deduplicated jobs run by a worker."""
    _, root = tv
    await set_setting(api, "integrations.hook_debounce_seconds", 1.0)
    sonarr = await _integration(api, "sonarr", [])
    path, secret = _hook_path(sonarr), {"secret": sonarr["secret"]}
    series = str(root / "Severance")
    worker = Worker(clean_runtime, ("integrations", "scan"))
    await worker.start()
    try:
        for _ in range(5):
            body = sonarr_download(series, "Season 01/Severance - S01E02.mkv")
            assert (await api.post(path, params=secret, json=body)).status_code == 202
        for _ in range(300):
            done = await rows(clean_runtime, HOOK_SCANS)
            if done and all(r["status"] in ("completed", "failed") for r in done):
                break
            await asyncio.sleep(0.05)
    finally:
        await worker.stop(grace_seconds=5)
    scans = await rows(clean_runtime, HOOK_SCANS)
    assert scans == [{"folders": [str(root / "Severance" / "Season 01")], "status": "completed"}]
    files = await files_by_name(clean_runtime)
    assert "Severance - S01E02.mkv" in files and "Andor - S01E02.mkv" not in files


async def test_rotating_the_secret_and_disabling_an_integration(
    api: httpx.AsyncClient, clean_runtime: Runtime
) -> None:
    sonarr = await _integration(api, "sonarr", [])
    path, test = _hook_path(sonarr), {"eventType": "Test"}
    admin = f"/api/v1/admin/integrations/{sonarr['id']}"
    rotated = await api.post(f"{admin}/secret", headers=AS_ADMIN)
    assert rotated.status_code == 200, rotated.text
    new = rotated.json()["secret"]
    assert (await api.post(path, params={"secret": sonarr["secret"]}, json=test)).status_code == 401
    assert (await api.post(path, params={"secret": new}, json=test)).status_code == 200
    mapping = [{"remote": "D:\\Media\\TV", "local": "/srv/tv"}]
    patched = await api.patch(admin, json={"enabled": False, "path_mappings": mapping},
                              headers=AS_ADMIN)  # fmt: skip
    assert patched.status_code == 200 and patched.json()["path_mappings"] == mapping
    assert (await api.post(path, params={"secret": new}, json=test)).status_code == 401
    assert (await api.get(admin, headers={"x-test-user": "user"})).status_code == 403
    assert (await api.delete(admin, headers=AS_ADMIN)).status_code == 204
    assert (await api.post(path, params={"secret": new}, json=test)).status_code == 401
