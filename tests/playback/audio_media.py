"""Audio made by the tests with PyAV: noise (so encoders spend their whole bitrate) with
silent stretches that mark where in time a stream starts."""

from __future__ import annotations

import array
import os
from fractions import Fraction
from pathlib import Path
from typing import Any

import av

RATE = 44100
_CODECS = {".flac": ("flac", "s16"), ".mp3": ("libmp3lame", "s16p")}


def _block(loud: bool, samples: int, planar: bool) -> list[bytes]:
    """One frame's planes: independent noise per channel, or silence."""
    if planar:
        return [os.urandom(samples * 2) if loud else bytes(samples * 2) for _ in range(2)]
    return [os.urandom(samples * 4) if loud else bytes(samples * 4)]


def make_noise(path: Path, seconds: float, *, quiet_until: float = 0.0, kbps: int = 320) -> Path:
    """Stereo noise, silent before `quiet_until` seconds; FLAC or MP3 from the suffix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    codec, fmt = _CODECS[path.suffix]
    with av.open(str(path), "w") as out:
        stream: Any = out.add_stream(codec, rate=RATE, layout="stereo")
        stream.bit_rate = kbps * 1000
        pts, size, total = 0, 1152, int(seconds * RATE)
        while pts < total:
            frame = av.AudioFrame(format=fmt, layout="stereo", samples=size)
            planes = _block(pts / RATE >= quiet_until, size, fmt.endswith("p"))
            for plane, data in zip(frame.planes, planes, strict=True):
                plane.update(data)
            frame.sample_rate, frame.pts, frame.time_base = RATE, pts, Fraction(1, RATE)
            out.mux(stream.encode(frame))
            pts += size
        out.mux(stream.encode(None))
    return path


def decode(data: bytes) -> tuple[str, str, float, list[float]]:
    """(container, codec, seconds, loudness of each 50 ms) of an encoded stream."""
    import io

    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="s16", layout="mono", rate=8000)
        samples = array.array("h")
        for frame in container.decode(stream):
            for mono in resampler.resample(frame):
                samples.frombytes(bytes(mono.planes[0])[: mono.samples * 2])
        name = stream.codec_context.name
        fmt = container.format.name
    window = 400  # 50 ms at 8 kHz
    levels = [
        max(abs(v) for v in samples[i : i + window]) / 32768
        for i in range(0, len(samples) - window + 1, window)
    ]
    return fmt, name, len(samples) / 8000, levels


def loud_from(levels: list[float], threshold: float = 0.1) -> float:
    """Seconds into the stream where the noise starts."""
    for i, level in enumerate(levels):
        if level > threshold:
            return i * 0.05
    return float("inf")
