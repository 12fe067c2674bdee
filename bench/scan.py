"""Scanner speed on a synthetic 50,000-file tree (movies, TV, music; empty files).

Prints, in one run: the time `find -printf` takes to walk the tree; the initial scan time
(probing excluded: probe jobs are queued, not run) and files/s; three rounds of `find` then
an unchanged incremental rescan, each with its ratio; a rescan after replacing 100 files the
way downloaders do (written beside, renamed over: their folders' mtimes change).
Goals: initial scan >= 5,000 files/s; unchanged rescan <= 1.5x `find` in every round.
An incremental rescan skips folders whose mtime is unchanged (see scanner/walk.py); a file
rewritten in place inside an unchanged folder is left to the watcher and to full scans.

    python bench/scan.py [--files 50000] [--keep DIR]

Database: REVENGE_BENCH_DATABASE_URL or REVENGE_TEST_DATABASE_URL (a server URL; a scratch
database is created on it), else an embedded PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")

from bench._common import scratch_database

from revenge.config import Settings
from revenge.infra.db import migrate
from revenge.runtime import Runtime
from revenge.scanning.scan import ScanRequest, run_scan

WORDS = (
    "Dark", "Night", "Star", "River", "Silent", "Golden", "Lost", "City", "Last", "Kingdom",
    "Blue", "Iron", "Red", "Wild", "Broken", "Crimson", "Hidden", "Secret", "Winter", "Summer",
    "Fire", "Ice", "Shadow", "Light", "Ocean", "Storm", "Dream", "Empire", "Ghost", "Stone",
    "Glass", "Paper", "Moon", "Sun", "Wolf", "Dragon", "Garden", "Road", "House", "Machine",
    "Heart", "Echo",
)  # fmt: skip
QUALITY = ("1080p.BluRay.x264-GRP", "720p.WEB-DL", "2160p.HDR", "")


def _title(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def build_tree(base: Path, total: int) -> dict[str, Path]:
    """Movies (20%), TV (40%), music (40%) with realistic names; every file is empty."""
    rng = random.Random(7)
    roots = {kind: base / kind for kind in ("movie", "tv", "music")}
    made = 0
    n = 0
    while made < total * 0.2:
        title, year = f"{_title(rng, 3)} {n}", 1950 + n % 75
        folder = roots["movie"] / f"{title} ({year})"
        folder.mkdir(parents=True)
        (folder / f"{title} ({year}).mkv").touch()
        made += 1
        if n % 10 == 0:
            (folder / f"{title.replace(' ', '.')}.{year}.{rng.choice(QUALITY)}.mkv").touch()
            made += 1
        n += 1
    series = 0
    while made < total * 0.6:
        name = f"{_title(rng, 2)} {series}"
        for season in range(1, 6):
            folder = roots["tv"] / f"{name} ({2000 + series % 24})" / f"Season {season:02d}"
            folder.mkdir(parents=True)
            for ep in range(1, 21):
                (folder / f"{name} - S{season:02d}E{ep:02d} - {_title(rng, 2)}.mkv").touch()
            made += 20
        series += 1
    artist = 0
    while made < total:
        name = f"{_title(rng, 2)} {artist}"
        for album in range(4):
            folder = roots["music"] / name / f"{_title(rng, 2)} ({1970 + album + artist % 40})"
            folder.mkdir(parents=True)
            for track in range(1, 11):
                (folder / f"{track:02d} - {_title(rng, 3)}.flac").touch()
            made += 10
        artist += 1
    return roots


def find_time(base: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        ["find", "--", str(base), "-type", "f", "-printf", "%p %s %T@ %i\\n"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


async def scan_all(runtime: Runtime, libraries: list[uuid.UUID]) -> tuple[float, int]:
    start = time.perf_counter()
    touched = 0
    for library_id in libraries:
        state = await run_scan(runtime, ScanRequest(library_id, "incremental"))
        assert state is not None
        touched += state.processed
    return time.perf_counter() - start, touched


async def create_libraries(runtime: Runtime, roots: dict[str, Path]) -> list[uuid.UUID]:
    from revenge.libraries import repository as repo

    ids = []
    async with runtime.db.transaction() as session:
        for kind, root in roots.items():
            lib = await repo.add_library(
                session, {"name": f"bench {kind}", "type": kind}, [str(root.resolve())]
            )
            ids.append(lib.id)
    return ids


def count_files(base: Path) -> list[Path]:
    return [p for p in base.rglob("*") if p.is_file()]


def replace_some(files: list[Path], count: int) -> None:
    for path in random.Random(1).sample(files, count):
        part = path.with_name(path.name + ".part")
        part.write_bytes(b"x")
        part.replace(path)


async def bench(db_url: str, base: Path, total: int) -> None:
    print(f"building {total} files under {base} ...", flush=True)
    roots = build_tree(base, total)
    all_files = count_files(base)
    files = len(all_files)
    find = min(find_time(base) for _ in range(3))
    migrate.upgrade(db_url)
    settings = Settings(data_dir=base.parent / "data", database_url=db_url)
    runtime = await Runtime.create(settings, apply_migrations=False)
    try:
        libraries = await create_libraries(runtime, roots)
        initial, _ = await scan_all(runtime, libraries)
        # Folders made seconds before a scan are listed again next time (same-tick races).
        await asyncio.sleep(2.5)
        await scan_all(runtime, libraries)
        rounds = []
        for _ in range(3):
            round_find = find_time(base)
            rounds.append((round_find, (await scan_all(runtime, libraries))[0]))
        replace_some(all_files, 100)
        touched_time, touched = await scan_all(runtime, libraries)
    finally:
        await runtime.close()
    rate = files / initial
    print(f"files:                     {files}")
    print(f"find -printf:              {find:.3f} s  (best of 3)")
    print(f"initial scan:              {initial:.3f} s  ({rate:,.0f} files/s; goal >= 5,000)")
    for n, (round_find, unchanged) in enumerate(rounds, 1):
        print(
            f"unchanged rescan, round {n}: {unchanged:.3f} s vs find {round_find:.3f} s"
            f"  ({unchanged / round_find:.2f}x find; goal <= 1.5x)"
        )
    print(f"rescan, 100 files replaced: {touched_time:.3f} s  ({touched} files re-read)")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=50_000)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="revenge-bench-scan-"))
    try:
        with scratch_database() as db:
            asyncio.run(bench(db, base / "media", args.files))
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
