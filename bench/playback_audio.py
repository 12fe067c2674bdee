"""Audio for phones: conversion speed and time to first byte.

Prints, for a generated 60 s stereo 44.1 kHz FLAC (chords over light noise):

- conversion speed to opus 128k (and AAC, MP3 for comparison) as a multiple of real time,
  measured through the server's own converter (child process, spare warmed); goal >= 50x.
  Wall clock depends on what else the machine runs; audio seconds per CPU second of the
  converter does not;
- time to first byte of `GET /api/v1/stream/{id}/audio?format=opus&max_bitrate=128` over
  HTTP on loopback, with the spare child ready (as in steady use) and without (a cold start).

    python bench/playback_audio.py [--seconds 60] [--rounds 3]

Database: REVENGE_BENCH_DATABASE_URL or REVENGE_TEST_DATABASE_URL (a server URL; a scratch
database is created on it), else an embedded PostgreSQL.
"""

from __future__ import annotations

import argparse
import array
import asyncio
import math
import random
import resource
import statistics
import sys
import tempfile
import time
import uuid
from fractions import Fraction
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))
sys.path.insert(0, str(REPO_ROOT))

from bench._common import process_cpu, scratch_database

from revenge.infra.db import migrate
from revenge.playback.audio import converters
from revenge.playback.converter import Job
from revenge.runtime import Runtime
from revenge.testing.auth import USER, HeaderAuthenticator
from revenge.testing.live_server import LiveServer
from revenge.testing.seed import add_file, add_library, add_track, add_users, execute
from revenge.testing.settings import make_settings

RATE = 44100
CHORDS = [(220.0, 277.2, 329.6), (196.0, 246.9, 293.7), (174.6, 220.0, 261.6)]


def make_music(path: Path, seconds: float) -> None:
    """Chords changing every half second over light noise: closer to music than silence."""
    import av

    rnd = random.Random(7)
    with av.open(str(path), "w") as out:
        stream: Any = out.add_stream("flac", rate=RATE, layout="stereo")
        pts, size = 0, 4410
        while pts < seconds * RATE:
            chord = CHORDS[(pts // (RATE // 2)) % len(CHORDS)]
            samples = array.array("h")
            for i in range(pts, pts + size):
                t = i / RATE
                tone = sum(math.sin(2 * math.pi * f * t) for f in chord) * 6000
                samples.extend((int(tone + rnd.gauss(0, 600)), int(tone * 0.8 + rnd.gauss(0, 600))))
            frame = av.AudioFrame(format="s16", layout="stereo", samples=size)
            frame.planes[0].update(samples.tobytes())
            frame.sample_rate, frame.pts, frame.time_base = RATE, pts, Fraction(1, RATE)
            out.mux(stream.encode(frame))
            pts += size
        out.mux(stream.encode(None))


def _process_cpu(pid: int) -> float:
    """CPU seconds a running process has used so far (Linux)."""
    try:
        return process_cpu(pid)
    except OSError:
        return 0.0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


async def _convert_once(runtime: Runtime, path: Path, fmt: str) -> tuple[float, float, int, float]:
    """(seconds to the first audio bytes, seconds to the end, bytes, child CPU seconds)."""
    pool = converters(runtime)
    await asyncio.sleep(0.5)  # let the spare finish starting, as it has in steady use
    # What the spare spent starting (interpreter, PyAV) is not conversion work.
    spare = getattr(pool, "_spare", None)
    cpu = _children_cpu() + (_process_cpu(spare.pid) if spare is not None else 0.0)
    started = time.perf_counter()
    conversion = await pool.start(Job(str(path), [str(path.parent)], fmt, 128, 0.0), limit=8)
    first = None
    size = 0
    try:
        while chunk := await conversion.read():
            first = first or time.perf_counter()
            size += len(chunk)
    finally:
        await conversion.close()
    elapsed = time.perf_counter() - started
    return (first or started) - started, elapsed, size, _children_cpu() - cpu


def conversion_speed(server: LiveServer, path: Path, seconds: float, rounds: int) -> None:
    for fmt in ("opus", "aac", "mp3"):
        runs = [
            server.call(lambda rt, f=fmt: _convert_once(rt, path, f), 300)  # type: ignore[misc]
            for _ in range(rounds)
        ]
        speed = [seconds / total for _, total, _, _ in runs]
        per_cpu = statistics.median(seconds / cpu for _, _, _, cpu in runs if cpu > 0)
        kbps = statistics.fmean(size * 8 / seconds / 1000 for _, _, size, _ in runs)
        print(
            f"FLAC -> {fmt} 128k: {statistics.median(speed):.0f}x real time wall clock (median"
            f" of {rounds}, best {max(speed):.0f}x), {per_cpu:.0f}x per CPU second of"
            f" conversion, {kbps:.0f} kbit/s out" + ("   goal >= 50x" if fmt == "opus" else "")
        )


def time_to_first_byte(server: LiveServer, file_id: uuid.UUID, rounds: int) -> None:
    import httpx

    url = f"{server.url}/api/v1/stream/{file_id}/audio"
    params = {"format": "opus", "max_bitrate": "128"}
    headers = {"x-test-user": "user"}
    for label, pause in (("spare ready", 1.0), ("cold start (no spare)", 0.0)):
        samples = []
        with httpx.Client(timeout=30) as client:
            for _ in range(rounds):
                if pause:
                    time.sleep(pause)
                else:
                    server.call(_drop_spare)
                started = time.perf_counter()
                with client.stream("GET", url, params=params, headers=headers) as r:
                    next(r.iter_raw())
                    samples.append(time.perf_counter() - started)
        print(
            f"time to first byte, {label}: median {statistics.median(samples) * 1000:.0f} ms"
            f" (min {min(samples) * 1000:.0f}, max {max(samples) * 1000:.0f}, n={rounds})"
        )


async def _drop_spare(runtime: Runtime) -> None:
    await converters(runtime).close()


async def _seed(runtime: Runtime, path: Path) -> uuid.UUID:
    await add_users(runtime)
    library = await add_library(runtime, "music", path.parent, grant=(USER.user_id,))
    track = await add_track(runtime, library, "Bench")
    file_id = await add_file(runtime, library, path, kind="audio", item=("track", track))
    await execute(
        runtime, "UPDATE media_files SET container = 'flac', duration_seconds = 60 WHERE id = :i",
        i=file_id,
    )  # fmt: skip
    return file_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, scratch_database() as url:
        migrate.upgrade(url)
        path = Path(tmp) / "music" / "Bench.flac"
        path.parent.mkdir()
        make_music(path, args.seconds)
        print(f"source: {args.seconds:g} s FLAC, {path.stat().st_size / 1e6:.1f} MB")
        server = LiveServer(make_settings(Path(tmp) / "data", url, None), HeaderAuthenticator())
        server.start()
        try:
            file_id = server.call(lambda rt: _seed(rt, path))
            conversion_speed(server, path, args.seconds, args.rounds)
            time_to_first_byte(server, file_id, max(args.rounds, 5))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
