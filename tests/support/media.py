"""Tiny but valid media files made with PyAV and tagged with mutagen, for scanner tests."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import av

_AUDIO_FORMATS = {
    "mp3": ("mp3", "libmp3lame", "s16p"),
    "flac": ("flac", "flac", "s16"),
    "m4a": ("ipod", "aac", "fltp"),
    "m4b": ("ipod", "aac", "fltp"),
}


def make_video(
    path: Path,
    *,
    seconds: float = 0.5,
    width: int = 64,
    height: int = 48,
    audio_language: str | None = "eng",
    audio: bool = True,
    hdr: bool = False,
) -> Path:
    """A short H.264 video (+ AAC audio) in the container named by the extension; with
    `hdr`, 10-bit HEVC tagged with the PQ (SMPTE 2084) transfer."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fmt = {"mkv": "matroska", "mp4": "mp4", "m4v": "mp4", "avi": "avi"}[path.suffix[1:]]
    rate = 10
    with av.open(str(path), "w", format=fmt) as out:
        video = out.add_stream("libx265" if hdr else "libx264", rate=rate)
        pix_fmt = "yuv420p10le" if hdr else "yuv420p"
        video.width, video.height, video.pix_fmt = width, height, pix_fmt
        if hdr:
            video.codec_context.options = {"x265-params": "log-level=none"}
            video.codec_context.color_trc = 16  # SMPTE 2084 (PQ)
            video.codec_context.color_primaries = 9  # BT.2020
        sound = None
        if audio:
            sound = out.add_stream("aac", rate=8000, layout="stereo")
            if audio_language:
                sound.metadata["language"] = audio_language
        for i in range(max(1, int(seconds * rate))):
            frame = av.VideoFrame(width, height, pix_fmt)
            for plane in frame.planes:
                plane.update(bytes([16 + i % 200]) * plane.buffer_size)
            frame.pts = i
            out.mux(video.encode(frame))
        out.mux(video.encode(None))
        if sound is not None:
            _write_audio(out, sound, seconds, 8000, "fltp", 2)
    return path


def _write_audio(
    out: Any, stream: Any, seconds: float, rate: int, sample_fmt: str, channels: int
) -> None:
    frame_size = stream.codec_context.frame_size or 1024
    total = int(seconds * rate)
    pts = 0
    bytes_per_sample = 2 if sample_fmt.startswith("s16") else 4
    layout = "stereo" if channels == 2 else "mono"
    while pts < total:
        frame = av.AudioFrame(format=sample_fmt, layout=layout, samples=frame_size)
        for plane in frame.planes:
            plane.update(b"\x00" * plane.buffer_size)
        frame.sample_rate = rate
        frame.pts = pts
        frame.time_base = Fraction(1, rate)
        out.mux(stream.encode(frame))
        pts += frame_size
    out.mux(stream.encode(None))
    del bytes_per_sample


def make_audio(
    path: Path,
    *,
    seconds: float = 1.0,
    tags: dict[str, str] | None = None,
    chapters: list[tuple[str, float, float]] | None = None,
) -> Path:
    """A short silent MP3/FLAC/M4A/M4B with tags (ffmpeg metadata names) and chapters."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fmt, codec, sample_fmt = _AUDIO_FORMATS[path.suffix[1:]]
    rate = 44100 if codec == "libmp3lame" else 8000
    with av.open(str(path), "w", format=fmt) as out:
        for key, value in (tags or {}).items():
            out.metadata[key] = value
        if chapters:
            out.set_chapters(
                [
                    {
                        "id": i + 1,
                        "start": int(start * 1000),
                        "end": int(end * 1000),
                        "time_base": Fraction(1, 1000),
                        "metadata": {"title": title},
                    }
                    for i, (title, start, end) in enumerate(chapters)
                ]
            )
        stream = out.add_stream(codec, rate=rate, layout="mono")
        _write_audio(out, stream, seconds, rate, sample_fmt, 1)
    return path
