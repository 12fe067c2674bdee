"""Playback figures: time to first HLS segment, transcode speed per x264 preset, direct play.

1. Time to first segment (segment ready on disk, as the HLS route serves it): remux of a 1080p
   H.264 MKV (goal < 1 s), 1080p HEVC -> 720p H.264 (goal < 2 s), after a seek to 80%
   (goal < 1.5 s). Driven through the node's segment producer (the worker processes the HTTP
   routes use), each measured with the workers otherwise idle.
2. Sustained 1080p HEVC -> 720p H.264 speed as a multiple of real time, per x264 preset, with
   the luma PSNR against the source scaled to 720p and the bit rate (goal >= 1.5x).
3. 50 direct-play clients each reading one file at 20 Mbit/s through `revenge serve` with a
   signed URL for 10 s: each client's rate and the server's CPU.

    python bench/playback.py [--seconds 24] [--clients 50] [--skip-clients]

Sources are made with PyAV in a temporary folder. Database for part 3: as bench/stream.py.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

import _common  # also puts the repository on sys.path
import av

from revenge.config import PlaybackSettings
from revenge.infra.storage import LocalStorage
from revenge.playback.plan import Variant
from revenge.playback.producer import SegmentProducer
from revenge.playback.segment_store import SegmentStore
from revenge.testing.video import make_video

HD = (1920, 1080)
COPY = Variant("original", "copy", 1920, 1080, 8_000_000, "aac")
P720 = Variant("720p", "h264", 1280, 720, 4_000_000, "aac")


def local_producer(root: Path, settings: PlaybackSettings) -> SegmentProducer:
    """A producer writing under `root`, as a node with the local-folder storage backend."""
    return SegmentProducer(SegmentStore(LocalStorage(root), root), settings, 2)


def worker_cpu(producer: SegmentProducer) -> float:
    """CPU seconds the producer's worker processes have used (the machine is shared: CPU
    time, unlike wall time, does not grow with other processes' load)."""
    pool = producer.pool("runs")
    total = 0.0
    for pid in list(getattr(pool, "_processes", {}) or {}):
        total += _common.process_cpu(pid)
    return total


async def first_segment(
    producer: SegmentProducer, path: Path, variant: Variant, at: float, seconds: float
) -> float:
    """Seconds from the request to the segment at fraction `at` of the running time."""
    started = time.perf_counter()
    plan = await producer.plan(str(path), seconds, 0, 1, [variant])
    n = int((len(plan.bounds(variant)) - 1) * at)
    await producer.segment(uuid.uuid4(), plan, variant, n)
    elapsed = time.perf_counter() - started
    await producer.idle()  # read-ahead finishes before the next figure is taken
    return elapsed


async def sustained(
    producer: SegmentProducer, path: Path, variant: Variant, seconds: float
) -> tuple[float, Path]:
    """Media seconds made per wall second over the whole file, as a player would ask."""
    plan = await producer.plan(str(path), seconds, 0, 1, [variant])
    session = uuid.uuid4()
    started = time.perf_counter()
    for n in range(len(plan.bounds(variant)) - 1):
        await producer.segment(session, plan, variant, n)
    await producer.idle()
    return seconds / (time.perf_counter() - started), producer.folder(session, variant.name)


def luma_psnr(source: Path, segment: Path, samples: int = 6) -> float:
    """Mean PSNR of the luma plane of a few frames against the source scaled alike."""
    with av.open(str(segment)) as out:
        made = {round(f.time, 2): f for f in out.decode(video=0)}
    with av.open(str(source)) as src:
        wanted = sorted(made)[:: max(1, len(made) // samples)][:samples]
        errors = []
        for frame in src.decode(video=0):
            key = round(frame.time, 2)
            if key in wanted:
                ref = frame.reformat(1280, 720, "yuv420p").planes[0]
                got = made[key].planes[0]
                errors.append(_mse(bytes(ref), bytes(got), ref.line_size, got.line_size))
            if len(errors) == len(wanted):
                break
    return sum(10 * math.log10(255**2 / max(e, 1e-9)) for e in errors) / max(1, len(errors))


def _mse(a: bytes, b: bytes, stride_a: int, stride_b: int) -> float:
    total = 0
    for row in range(0, 720, 4):  # every fourth row: plenty for a mean, 4x faster
        ra = a[row * stride_a : row * stride_a + 1280]
        rb = b[row * stride_b : row * stride_b + 1280]
        total += sum((x - y) ** 2 for x, y in zip(ra, rb, strict=True))
    return total / (1280 * 180)


async def segments(root: Path, seconds: float) -> None:
    t = time.perf_counter()
    h264 = make_video(root / "hd.mkv", "libx264", "ac3", seconds=seconds, size=HD, layout="5.1")
    hevc = make_video(root / "hevc.mkv", "libx265", "ac3", seconds=seconds, size=HD, layout="5.1")
    print(f"sources: {seconds:g} s of 1080p each, made in {time.perf_counter() - t:.0f} s")
    # The server's defaults: the segment a player waits for uses the first_segment_preset.
    producer = local_producer(root / "out", PlaybackSettings(read_ahead_segments=1))
    await producer.warm()
    remux = await first_segment(producer, h264, COPY, 0, seconds)
    print(f"first segment, remux 1080p H.264 MKV:      {remux:.2f} s (goal < 1)")
    first = await first_segment(producer, hevc, P720, 0, seconds)
    print(f"first segment, 1080p HEVC -> 720p H.264:   {first:.2f} s (goal < 2)")
    seek = await first_segment(producer, hevc, P720, 0.8, seconds)
    print(f"first segment after a seek to 80%:         {seek:.2f} s (goal < 1.5)")
    print(f"machine load while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    producer.close()
    for preset in ("ultrafast", "superfast", "veryfast", "faster"):
        settings = PlaybackSettings(
            x264_preset=preset, first_segment_preset=preset, read_ahead_segments=1
        )
        producer = local_producer(root / preset, settings)
        await producer.warm()
        cpu = worker_cpu(producer)
        speed, folder = await sustained(producer, hevc, P720, seconds)
        cost = (worker_cpu(producer) - cpu) / seconds
        size = sum(p.stat().st_size for p in folder.glob("*.ts"))
        psnr = luma_psnr(hevc, folder / "0.ts")
        print(
            f"sustained 1080p HEVC -> 720p H.264, {preset:9}: {speed:.2f}x real time "
            f"(goal >= 1.5), {cost:.2f} CPU s per media s (at most {2 / cost:.1f}x on 2 idle "
            f"cores), {size * 8 / seconds / 1e6:.2f} Mbit/s, luma PSNR {psnr:.1f} dB"
        )
        producer.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=24.0)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--client-seconds", type=float, default=10.0)
    parser.add_argument("--skip-clients", action="store_true")
    parser.add_argument("--skip-segments", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_segments:
            asyncio.run(segments(Path(tmp), args.seconds))
        if not args.skip_clients:
            from _direct import direct_play

            direct_play(Path(tmp), args.clients, args.client_seconds)


if __name__ == "__main__":
    sys.exit(main())
