"""A `revenge worker` killed with SIGKILL in the middle of a library scan.

The library holds a few thousand real files with release-style names; the scan writes them in
batches of 100, so the kill lands after some batches were committed and before the last.
Stalled-job recovery hands the scan to a second worker, which finishes it: every file is
catalogued once, every movie exists once, and every item gets its follow-up jobs (metadata,
search index, probing) even when its file was written by the killed attempt.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from revenge.runtime import Runtime
from revenge.testing.processes import revenge_env, start_revenge, wait_for
from tests.libraries.conftest import AS_ADMIN, LibraryMaker, api, make_library  # noqa: F401

MOVIES = 1000  # about 1,800 files: 18 batches of 100
WORDS = [
    "Silent", "Crimson", "Last", "Northern", "Glass", "Iron", "Broken", "Distant", "Hidden",
    "Golden", "Winter", "Midnight", "Paper", "Burning", "Lonely", "Electric", "Wild", "Quiet",
    "Savage", "Hollow", "Velvet", "Shadow", "River", "Empire", "Garden", "Signal", "Harbor",
    "Mirror", "Falcon", "Orchard", "Thunder", "Lantern",
]  # fmt: skip


def movie_library(root: Path, movies: int) -> tuple[int, set[str]]:
    """Write `movies` movie folders; returns (files written, expected movie group keys).

    Realistic variety: plain files, a 4K second version, stacked cd1/cd2 parts, trailers in
    an extras folder and samples (which belong to no movie).
    """
    rnd = random.Random(7)
    files = 0
    keys: set[str] = set()
    for n in range(movies):
        title = f"{rnd.choice(WORDS)} {rnd.choice(WORDS)} {n}"
        year = 1950 + n % 70
        folder = root / f"{title} ({year})"
        folder.mkdir(parents=True)
        names = [f"{title} ({year}).mkv"]
        if n % 7 == 0:
            names = [f"{title} ({year}) cd1.avi", f"{title} ({year}) cd2.avi"]
        if n % 3 == 0:
            names.append(f"{title} ({year}) - 2160p.mkv")
        if n % 5 == 0:
            (folder / "Trailers").mkdir()
            names.append("Trailers/Official Trailer.mp4")
        if n % 11 == 0:
            names.append("sample.mkv")
        for name in names:
            # Distinct content: a real file with its own fingerprint.
            (folder / name).write_bytes(f"{title} {year} {name}".encode() * 8)
        files += len(names)
        keys.add(title.lower())
    return files, keys


@pytest.fixture
def workers() -> Iterator[list[subprocess.Popen[bytes]]]:
    procs: list[subprocess.Popen[bytes]] = []
    yield procs
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def spawn_worker(
    workers: list[subprocess.Popen[bytes]], env: dict[str, str], log: Path
) -> subprocess.Popen[bytes]:
    proc = start_revenge(["worker", "--queues", "scan"], env, log)
    workers.append(proc)
    wait_for(lambda: "worker running" in log.read_text() if log.exists() else False, 30, "worker")
    return proc


def query(url: str, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        return list(conn.execute(sql, args))


def queued_items(url: str, entrypoint: str) -> list[str]:
    """Item ids named by the queued follow-up jobs of one kind, with repeats."""
    rows = query(url, "SELECT payload FROM pgqueuer WHERE entrypoint = %s", entrypoint)
    return [item["id"] for (payload,) in rows for item in json.loads(bytes(payload))["items"]]


async def test_scan_killed_mid_way_is_retried_and_catalogues_every_file_once(
    clean_runtime: Runtime,
    api: httpx.AsyncClient,  # noqa: F811
    make_library: LibraryMaker,  # noqa: F811
    workers: list[subprocess.Popen[bytes]],
    database_url: str,
    tmp_path: Path,
) -> None:
    root = tmp_path / "movies"
    total, movie_keys = movie_library(root, MOVIES)
    samples = len([n for n in range(MOVIES) if n % 11 == 0])
    library = await make_library("movie", root)
    env = revenge_env(
        REVENGE_DATABASE_URL=database_url,
        REVENGE_DATA_DIR=str(tmp_path / "data"),
        REVENGE_SCANNING__BATCH_SIZE="100",
        REVENGE_JOBS__HEARTBEAT_SECONDS="2",
        REVENGE_JOBS__POLL_SECONDS="0.5",
        REVENGE_JOBS__RETRY_BASE_SECONDS="0.2",
    )
    env.pop("REVENGE_REDIS_URL", None)
    first = spawn_worker(workers, env, tmp_path / "w1.log")

    started = await api.post(f"/api/v1/libraries/{library['id']}/scans", headers=AS_ADMIN)
    assert started.status_code == 202, started.text
    scan_id = started.json()["id"]

    def written() -> int:
        return int(query(database_url, "SELECT count(*) FROM media_files")[0][0])

    def scan_status() -> str:
        rows = query(database_url, "SELECT status FROM library_scans WHERE id = %s", scan_id)
        return str(rows[0][0])

    wait_for(lambda: written() > 0, 30, "the scan to commit its first batch")
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    at_kill = written()
    assert 0 < at_kill < total, f"the kill did not land mid-scan ({at_kill} of {total})"
    assert scan_status() == "running"

    killed_at = time.monotonic()
    spawn_worker(workers, env, tmp_path / "w2.log")

    wait_for(lambda: scan_status() != "running" and written() == total, 30, "the retried scan")
    retried_in = time.monotonic() - killed_at
    assert scan_status() == "completed"

    # The job itself ends successfully (after a stalled first attempt); pgqueuer records
    # that a moment after the scan's own completion.
    def job_succeeded() -> bool:
        sql = "SELECT 1 FROM pgqueuer_log WHERE entrypoint = 'libraries.scan'"
        return bool(query(database_url, sql + " AND status = 'successful'"))

    wait_for(job_succeeded, 10, "the scan job to be recorded as successful")
    left = query(database_url, "SELECT count(*) FROM pgqueuer WHERE entrypoint = 'libraries.scan'")
    assert left == [(0,)]

    # Every file exactly once, no movie twice, nothing lost.
    paths = {str(p) for p in root.rglob("*") if p.is_file()}
    rows = query(database_url, "SELECT path, item_id, missing_since FROM media_files")
    assert len(rows) == total == len(paths)
    assert {r[0] for r in rows} == paths
    assert all(r[2] is None for r in rows)
    assert sum(1 for r in rows if r[1] is None) == samples
    movies = query(database_url, "SELECT id, lower(title) FROM movies")
    assert len(movies) == len({t for _, t in movies}) == len(movie_keys)
    assert {t for _, t in movies} == movie_keys
    placed = {r[1] for r in rows if r[1] is not None}
    assert placed == {i for i, _ in movies}

    # Follow-up work for every movie, including those written before the kill.
    movie_ids = {str(i) for i, _ in movies}
    for entrypoint in ("metadata.fetch", "search.index"):
        named = queued_items(database_url, entrypoint)
        assert set(named) == movie_ids, f"{entrypoint}: {len(movie_ids - set(named))} missing"
        assert len(named) == len(movie_ids), f"{entrypoint}: some movies queued twice"

    # Every file waits for its probe or has had it. Read the queue first: a file still
    # pending afterwards was pending then too, so its probe job must have been queued then.
    rows = query(database_url, "SELECT payload FROM pgqueuer WHERE entrypoint = 'libraries.probe'")
    to_probe = {i for (p,) in rows for i in json.loads(bytes(p))["file_ids"]}
    pending = query(database_url, "SELECT id FROM media_files WHERE analysis = 'pending'")
    unqueued = {str(r[0]) for r in pending} - to_probe
    assert not unqueued, f"{len(unqueued)} files will never be probed"
    print(f"kill after {at_kill}/{total} files; retried scan done {retried_in:.1f}s after kill")
