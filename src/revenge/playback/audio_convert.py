"""The audio converter's child process: one file decoded and re-encoded for a phone.

`python -m revenge.playback.audio_convert` imports PyAV, then waits for one job (a JSON line
on stdin), so a spare child can be started before anyone asks and a stream starts without
paying for the interpreter and FFmpeg's start-up. For the job it opens the file itself,
confined to the library's roots with every symlink resolved at that moment, decodes the
first audio frame and answers one JSON line on stdout: `{"ok": true, ...}` or `{"error":
"...", "reason": "unavailable" | "unreadable" | "past_end"}`. After an "ok" the rest of stdout
is the converted stream, written as it is encoded; a full pipe (a slow client) simply makes
this process wait, which bounds every buffer between the file and the socket.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import av

from revenge.streaming.files import open_confined

# Consecutive packets that fail to decode before a file is declared unreadable mid-stream.
_MAX_BAD_PACKETS = 100


@dataclass(frozen=True, slots=True)
class Target:
    """One output format: container, encoder and what the encoder accepts."""

    container: str
    codec: str
    rates: tuple[int, ...]
    options: dict[str, str]


TARGETS = {
    # Opus works at 48 kHz internally; the others keep the source rate when they can.
    # Constrained VBR: the bitrate asked for is a maximum, plain VBR wanders above it.
    "opus": Target("ogg", "libopus", (48000,), {"vbr": "constrained"}),
    "aac": Target("adts", "aac", (48000, 44100, 32000, 24000, 22050, 16000), {}),
    "mp3": Target("mp3", "libmp3lame", (48000, 44100, 32000, 24000, 22050, 16000), {}),
}
# The mp3 muxer would seek back to write a Xing header: impossible on a pipe.
_MUXER_OPTIONS = {"mp3": {"write_xing": "0"}}


def _rate(target: Target, source_rate: int, kbps: int) -> int:
    if target.codec == "libmp3lame" and kbps < 32:
        return 22050  # MPEG-2 layer 3: the only rates below 32 kbit/s
    if source_rate in target.rates:
        return source_rate
    higher = [r for r in target.rates if r >= source_rate]
    return min(higher) if higher else max(target.rates)


def _answer(fields: dict[str, Any]) -> None:
    sys.stdout.buffer.write(json.dumps(fields).encode() + b"\n")
    sys.stdout.buffer.flush()


def _frames(container: Any, stream: Any) -> Iterator[Any]:
    """Decoded frames, stepping over packets that do not decode (as players do)."""
    bad = 0
    for packet in container.demux(stream):
        try:
            frames = packet.decode()
        except av.error.FFmpegError:
            bad += 1
            if bad > _MAX_BAD_PACKETS:
                raise
            continue
        bad = 0
        yield from frames


def _open_output(target: Target, fmt: str, first: Any, kbps: int) -> tuple[Any, Any]:
    out = av.open("pipe:1", "w", format=target.container, options=_MUXER_OPTIONS.get(fmt, {}))
    layout = "mono" if first.layout.nb_channels == 1 else "stereo"
    rate = _rate(target, first.sample_rate, kbps)
    stream: Any = out.add_stream(target.codec, rate=rate, layout=layout, options=target.options)
    stream.bit_rate = kbps * 1000
    stream.time_base = Fraction(1, rate)
    return out, stream


class _Encoder:
    """Stamps resampled frames with a running sample count and encodes them, after dropping
    the samples that lie before the requested offset."""

    def __init__(self, out: Any, stream: Any, skip_seconds: float) -> None:
        self.out, self.stream = out, stream
        self.rate = stream.codec_context.sample_rate
        self.skip = max(0, round(skip_seconds * self.rate))
        self.written = 0

    def take(self, frame: Any) -> None:
        if self.skip >= frame.samples:
            self.skip -= frame.samples
            return
        if self.skip:
            # Cut the head off this one frame; the encoder re-cuts frames to its own size.
            fifo = av.AudioFifo()
            frame.pts = None
            fifo.write(frame)
            fifo.read(self.skip)
            self.skip = 0
            rest = fifo.read()
            if rest is None:
                return
            frame = rest
        frame.pts, frame.time_base = self.written, Fraction(1, self.rate)
        self.written += frame.samples
        self.out.mux(self.stream.encode(frame))


def _encode(frames: Iterator[Any], first: Any, out: Any, stream: Any, skip_seconds: float) -> None:
    """Resample, drop what lies before the requested offset, encode and mux."""
    ctx = stream.codec_context
    resampler = av.AudioResampler(format=ctx.format, layout=ctx.layout, rate=ctx.sample_rate)
    encoder = _Encoder(out, stream, skip_seconds)
    for frame in _chain(first, frames):
        for converted in resampler.resample(frame):
            encoder.take(converted)
    for converted in resampler.resample(None):
        encoder.take(converted)
    out.mux(stream.encode(None))


def _chain(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    yield first
    yield from rest


def _start_time(frame: Any, fallback: float) -> float:
    if frame.pts is None or frame.time_base is None:
        return fallback
    return float(frame.pts * frame.time_base)


def _end_time(frame: Any, fallback: float) -> float:
    return _start_time(frame, fallback) + float(frame.samples) / (frame.sample_rate or 1)


def _readable(source: Any) -> Any:
    """What FFmpeg reads: on Linux the descriptor's own /proc name (FFmpeg's I/O, no Python in
    the loop, and still exactly the opened file), elsewhere the Python file object."""
    name = f"/proc/self/fd/{source.fileno()}"
    return name if os.path.exists(name) else source


def _first_frame(container: Any, stream: Any, offset: float) -> tuple[Iterator[Any], Any]:
    """The decoded frames from `offset` on, and the first of them (None: nothing there)."""
    if offset > 0:
        container.seek(int(offset * av.time_base), backward=True)
    frames = _frames(container, stream)
    first = next(frames, None)
    # A seek lands on a frame at or before the offset: step over whole frames before it.
    while first is not None and offset > 0 and _end_time(first, offset) <= offset:
        first = next(frames, None)
    return frames, first


def convert(job: dict[str, Any]) -> None:
    """Run one job: answer the status line, then write the converted stream to stdout."""
    opened = open_confined(job["path"], job["roots"])
    if opened is None:
        _answer({"error": "The file is not available.", "reason": "unavailable"})
        return
    fd, _ = opened
    fmt, kbps, offset = job["format"], int(job["kbps"]), float(job["offset"])
    target = TARGETS[fmt]
    answered = False
    try:
        with os.fdopen(fd, "rb") as source, av.open(_readable(source), "r") as container:
            if not container.streams.audio:
                raise ValueError("no audio stream")
            stream = container.streams.audio[0]
            frames, first = _first_frame(container, stream, offset)
            if first is None and offset > 0:
                _answer({"error": "The offset is past the end.", "reason": "past_end"})
                return
            if first is None:
                raise ValueError("no audio in the file")
            skip = offset - _start_time(first, offset) if offset > 0 else 0.0
            _answer({"ok": True, "codec": stream.codec_context.name})
            answered = True
            out, encoder = _open_output(target, fmt, first, kbps)
            with out:
                _encode(frames, first, out, encoder, skip)
    except (av.error.FFmpegError, ValueError, EOFError) as exc:
        if answered:
            # Mid-stream the stream just ends early; the exit status tells the server why.
            sys.stderr.write(f"conversion stopped: {exc}\n")
            sys.exit(3)
        _answer({"error": f"The file cannot be decoded: {exc}", "reason": "unreadable"})


def main() -> None:
    line = sys.stdin.readline()
    if not line:
        return  # a spare the server no longer needs
    try:
        convert(json.loads(line))
    except BrokenPipeError:
        # The listener went away: nothing more to say to anyone.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


if __name__ == "__main__":
    main()
