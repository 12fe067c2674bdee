"""Playback figures: time to first HLS segment (remux, transcode, after a seek) and speed.

Makes 1080p sources with PyAV (H.264 in MKV, HEVC in MKV) under a temporary folder and drives
the node's segment producer (the worker processes the HTTP routes use) directly.

    .venv/bin/python bench/playback.py [--seconds 24] [--preset veryfast]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
import uuid
from pathlib import Path

import _common  # noqa: F401  (puts the repository on sys.path)

from revenge.config import PlaybackSettings
from revenge.playback.plan import Variant
from revenge.playback.producer import SegmentProducer
from tests.playback.media import make_video

HD = (1920, 1080)


async def first_segment(
    producer: SegmentProducer, path: Path, variant: Variant, at: float, seconds: float
) -> float:
    """Seconds from the request to segment at fraction `at` of the running time being ready."""
    started = time.perf_counter()
    plan = await producer.plan(str(path), seconds, 0, 1, [variant])
    n = int((len(plan.bounds(variant)) - 1) * at)
    await producer.segment(uuid.uuid4(), plan, variant, n)
    return time.perf_counter() - started


async def sustained(
    producer: SegmentProducer, path: Path, variant: Variant, seconds: float
) -> float:
    """Media seconds made per wall second over the whole file, one run."""
    plan = await producer.plan(str(path), seconds, 0, 1, [variant])
    session = uuid.uuid4()
    count = len(plan.bounds(variant)) - 1
    started = time.perf_counter()
    for n in range(count):
        await producer.segment(session, plan, variant, n)
    return seconds / (time.perf_counter() - started)


async def main(seconds: float, preset: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        t = time.perf_counter()
        h264 = make_video(root / "hd.mkv", "libx264", "ac3", seconds=seconds, size=HD, layout="5.1")
        hevc = make_video(
            root / "hevc.mkv", "libx265", "ac3", seconds=seconds, size=HD, layout="5.1"
        )
        print(f"sources made in {time.perf_counter() - t:.1f}s ({seconds:g}s each, 1080p)")
        settings = PlaybackSettings(x264_preset=preset, read_ahead_segments=2)
        producer = SegmentProducer(root / "out", settings, 2)
        await producer.warm()
        copy = Variant("original", "copy", 1920, 1080, 8_000_000, "aac")
        p720 = Variant("720p", "h264", 1280, 720, 4_000_000, "aac")
        print(
            f"first segment, remux 1080p H.264 MKV: {await first_segment(producer, h264, copy, 0, seconds):.2f}s (goal < 1)"
        )
        print(
            f"first segment, 1080p HEVC -> 720p H.264: {await first_segment(producer, hevc, p720, 0, seconds):.2f}s (goal < 2)"
        )
        print(
            f"first segment after a seek to 80%: {await first_segment(producer, hevc, p720, 0.8, seconds):.2f}s (goal < 1.5)"
        )
        speed = await sustained(producer, hevc, p720, seconds)
        print(
            f"sustained 1080p HEVC -> 720p H.264 ({preset}): {speed:.2f}x real time (goal >= 1.5)"
        )
        producer.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=24.0)
    parser.add_argument("--preset", default="veryfast")
    args = parser.parse_args()
    asyncio.run(main(args.seconds, args.preset))
