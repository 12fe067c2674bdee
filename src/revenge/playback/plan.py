"""Segment plans: where every HLS segment of a file starts, fixed by the file alone.

Any node must be able to make any segment without talking to the node that made the one
before it (no sticky sessions), so boundaries depend only on the source file:

- transcoded variants cut on a fixed grid (0, 6, 12, ... s); each segment is encoded by a fresh
  encoder whose first frame is a keyframe, so a segment needs nothing from its neighbours;
- the copied ("original") variant cuts on the source's own keyframes, the first at or after
  each grid step, read from the container's index (MP4 `stss`, Matroska cues), or from a scan of
  the video packets when the container has no index.

Runs in the worker processes (reads the file).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Variant:
    """One rendition: `video` is "copy" or "h264"; `audio` is "copy" or "aac"."""

    name: str
    video: str
    width: int
    height: int
    video_bitrate: int
    audio: str
    audio_bitrate: int = 160_000


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything a worker needs to make a segment: stored with the session in PostgreSQL."""

    path: str
    duration: float
    video_index: int
    audio_index: int | None
    grid: list[float]
    keyframes: list[float]
    variants: list[Variant] = field(default_factory=list)
    video_codec: str | None = None  # of the source, for the master's CODECS of copies
    audio_codec: str | None = None

    def bounds(self, variant: Variant) -> list[float]:
        """Segment start times plus the end of the last one."""
        return self.keyframes if variant.video == "copy" else self.grid

    def variant(self, name: str) -> Variant | None:
        return next((v for v in self.variants if v.name == name), None)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Plan:
        variants = [Variant(**v) for v in data.get("variants", [])]
        return cls(**{**data, "variants": variants})


def grid_bounds(duration: float, step: float) -> list[float]:
    """0, step, 2*step, ... and the end; a last sliver under a second joins the one before."""
    bounds = [0.0]
    while duration - bounds[-1] > step + 1.0:
        bounds.append(round(bounds[-1] + step, 6))
    bounds.append(duration)
    return bounds


def keyframe_bounds(keyframes: list[float], duration: float, step: float) -> list[float]:
    """Boundaries on keyframes, each the first at least `step` seconds after the last."""
    bounds = [0.0]
    for time in sorted(keyframes):
        if time - bounds[-1] >= step - 0.05 and duration - time >= 1.0:
            bounds.append(round(time, 6))
    bounds.append(duration)
    return bounds


def source_keyframes(path: str, video_index: int) -> list[float]:
    """Keyframe times of the video stream: from the index, else from a packet scan."""
    import av

    with av.open(path) as container:
        stream = container.streams[video_index]
        base = float(stream.time_base or 0)
        start = float(stream.start_time or 0) * base
        found = [e.timestamp * base - start for e in stream.index_entries if e.is_keyframe]
        if len(found) > 1:
            return found
        scanned = []
        for packet in container.demux(stream):
            if packet.is_keyframe and packet.pts is not None:
                scanned.append(float(packet.pts * packet.time_base) - start)
        return scanned


def build_plan(
    path: str,
    duration: float,
    video_index: int,
    audio_index: int | None,
    variants: list[Variant],
    step: float,
) -> Plan:
    """The plan of one session (in a worker: copying variants read the file's keyframes)."""
    keyframes: list[float] = []
    if any(v.video == "copy" for v in variants):
        keyframes = keyframe_bounds(source_keyframes(path, video_index), duration, step)
    grid = grid_bounds(duration, step)
    return Plan(path, duration, video_index, audio_index, grid, keyframes, variants)
