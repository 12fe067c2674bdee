"""Short real audio files (silence) for tag and cover-art tests."""

from __future__ import annotations

from pathlib import Path

import av


def write_silence(path: Path, seconds: float = 0.2) -> Path:
    """Encode `seconds` of stereo silence; the codec follows the suffix (.mp3, .flac)."""
    codec = {".mp3": "mp3", ".flac": "flac"}[path.suffix]
    with av.open(str(path), "w") as container:
        stream = container.add_stream(codec, rate=44100)
        stream.layout = "stereo"  # type: ignore[union-attr]
        fmt = "s16p" if codec == "mp3" else "s16"
        samples = int(44100 * seconds)
        frame = av.AudioFrame(format=fmt, layout="stereo", samples=samples)
        for plane in frame.planes:
            plane.update(bytes(plane.buffer_size))
        frame.sample_rate = 44100
        for packet in stream.encode(frame):  # type: ignore[union-attr]
            container.mux(packet)
        for packet in stream.encode(None):  # type: ignore[union-attr]
            container.mux(packet)
    return path
