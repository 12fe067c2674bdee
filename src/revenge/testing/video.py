"""Tiny real media files made with PyAV for playback tests (no numpy, no system ffmpeg)."""

from __future__ import annotations

import math
import struct
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av


def _picture(width: int, height: int, i: int) -> av.VideoFrame:
    frame = av.VideoFrame(width, height, "yuv420p")
    frame.planes[0].update(bytes((x * 3 + i * 7) % 256 for x in range(width)) * height)
    frame.planes[1].update(bytes([128 + i % 50]) * frame.planes[1].buffer_size)
    frame.planes[2].update(bytes([128]) * frame.planes[2].buffer_size)
    return frame


def make_video(
    path: Path, vcodec: str = "libx264", acodec: str = "aac", *, seconds: float = 8.0,
    size: tuple[int, int] = (160, 120), fps: int = 24, pix_fmt: str = "yuv420p",
    layout: str = "stereo", keyint: int = 48, vfr: bool = False,
) -> Path:  # fmt: skip
    """A video with a moving picture and a tone; `vfr` alternates frame gaps of 1 and 3 ticks."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), "w") as out:
        video = out.add_stream(vcodec, rate=fps)
        assert isinstance(video, av.VideoStream)
        video.width, video.height, video.pix_fmt = size[0], size[1], pix_fmt
        video.codec_context.time_base = Fraction(1, fps * 2)
        params: dict[str, object] = {"g": str(keyint), "keyint_min": str(keyint)}
        if vcodec == "libx265":
            params["x265-params"] = f"log-level=error:keyint={keyint}:min-keyint={keyint}"
        video.options = params
        audio = out.add_stream(acodec, rate=48000, layout=layout)
        assert isinstance(audio, av.AudioStream)
        # Audio is written alongside the picture, as real files interleave them: a file with
        # all its audio at the end makes every reader decode far ahead to find it.
        tone = _tone(audio, seconds)
        tick = 0
        for i in range(int(seconds * fps)):
            frame = _picture(size[0], size[1], i)
            frame.pts, frame.time_base = tick, Fraction(1, fps * 2)
            tick += (1 if i % 2 else 3) if vfr else 2
            out.mux(video.encode(frame))
            _mux_until(out, audio, tone, tick / (fps * 2))
            if tick / (fps * 2) >= seconds:
                break
        out.mux(video.encode(None))
        _mux_until(out, audio, tone, math.inf)
        out.mux(audio.encode(None))
    return path


def _mux_until(
    out: av.container.OutputContainer, audio: av.AudioStream, tone: Iterator[av.AudioFrame],
    until: float,
) -> None:  # fmt: skip
    """Encode and write the tone's frames that start before `until` seconds."""
    for frame in tone:
        out.mux(audio.encode(frame))
        if ((frame.pts or 0) + frame.samples) / 48000 >= until:
            return


def _tone(audio: av.AudioStream, seconds: float) -> Iterator[av.AudioFrame]:
    ctx = audio.codec_context
    size = ctx.frame_size or 1024
    for i in range(int(seconds * 48000) // size):
        frame = av.AudioFrame(format=ctx.format.name, layout=ctx.layout.name, samples=size)
        data = struct.pack(f"<{size}f", *(math.sin((i * size + k) / 10) for k in range(size)))
        for plane in frame.planes:
            plane.update(data[: plane.buffer_size])
        frame.sample_rate, frame.pts = 48000, i * size
        yield frame
