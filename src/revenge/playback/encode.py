"""Making HLS segments with PyAV (FFmpeg inside the wheel), in a worker process.

`produce_run` makes consecutive segments of one variant from one seek: it decodes from the
keyframe before the first segment, routes every frame (or, when copying, every packet) to the
segment its timestamp falls in, and writes each MPEG-TS segment to a temporary name renamed
into place when complete, so a reader never sees half a segment. Timestamps keep the source
timeline, so segments made by different runs or different nodes play as one stream.

A run stops when its `.run` marker names a newer run (the player sought elsewhere); at the
read-ahead horizon written next to it, it waits for the player to move the horizon.
"""

from __future__ import annotations

import os
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

from revenge.playback.plan import Plan, Variant

TS_BASE = Fraction(1, 90_000)
AUDIO_RATE = 48_000
# How long a run at its read-ahead horizon waits for the player before it ends (it holds a
# worker process meanwhile; a player asks for a segment every few seconds while it plays).
RUN_IDLE_SECONDS = 15.0


class _Segment:
    """One MPEG-TS segment being written: its own encoders, so it depends on no neighbour."""

    def __init__(self, target: Path, variant: Variant, vin: Any, ain: Any, preset: str) -> None:
        import av

        self.target = target
        self.tmp = target.with_suffix(".part")
        # Timestamps stay on the source timeline: no shift of the first segment's B-frame dts.
        self.out = av.open(
            str(self.tmp), "w", format="mpegts", options={"avoid_negative_ts": "disabled"}
        )
        self.variant = variant
        self.vout = self._video(vin, preset)
        self.aout: Any = None
        self.fifo: Any = None
        self.audio_base: int | None = None
        self.audio_sent = 0
        if ain is not None:
            if variant.audio == "copy":
                self.aout = self.out.add_stream_from_template(ain)
            else:
                self.aout = self.out.add_stream("aac", rate=AUDIO_RATE, layout="stereo")
                self.aout.bit_rate = variant.audio_bitrate
                # FFmpeg's default AAC search ("twoloop") took most of a remux segment's time.
                self.aout.options = {"aac_coder": "fast"}
                self.fifo = av.AudioFifo()

    def _video(self, vin: Any, preset: str) -> Any:
        if self.variant.video == "copy":
            return self.out.add_stream_from_template(vin)
        rate = vin.average_rate or Fraction(24)
        vout = self.out.add_stream("libx264", rate=rate)
        vout.width, vout.height, vout.pix_fmt = self.variant.width, self.variant.height, "yuv420p"
        vout.codec_context.time_base = TS_BASE
        kbit = self.variant.video_bitrate // 1000
        vout.options = {
            "preset": preset, "profile": "high", "level": "4.1", "crf": "23",
            "maxrate": f"{kbit}k", "bufsize": f"{2 * kbit}k", "sc_threshold": "0",
        }  # fmt: skip
        return vout

    def video_frame(self, frame: Any, t: float) -> None:
        # Bilinear: a third cheaper than the default bicubic at 1080p -> 720p; on downscaled
        # video the difference is below what x264's fast presets keep anyway.
        image = frame.reformat(
            self.variant.width, self.variant.height, "yuv420p", interpolation="BILINEAR"
        )
        image.pts, image.time_base = round(t / TS_BASE), TS_BASE
        self.out.mux(self.vout.encode(image))

    def packet(self, packet: Any, stream: Any) -> None:
        packet.stream = stream
        self.out.mux(packet)

    def audio_frame(self, frame: Any, t: float, resampler: Any) -> None:
        if self.audio_base is None:
            self.audio_base = round(t * AUDIO_RATE)
        for converted in resampler.resample(frame):
            converted.pts = None
            self.fifo.write(converted)
        self._drain_audio(final=False)

    def _drain_audio(self, final: bool) -> None:
        size = self.aout.codec_context.frame_size or 1024
        while self.fifo.samples >= size or (final and self.fifo.samples):
            chunk = self.fifo.read(min(size, self.fifo.samples))
            chunk.pts = (self.audio_base or 0) + self.audio_sent
            chunk.time_base = Fraction(1, AUDIO_RATE)
            self.audio_sent += chunk.samples
            self.out.mux(self.aout.encode(chunk))

    def close(self) -> None:
        if self.variant.video != "copy":
            self.out.mux(self.vout.encode(None))
        if self.fifo is not None:
            self._drain_audio(final=True)
            self.out.mux(self.aout.encode(None))
        self.out.close()
        os.replace(self.tmp, self.target)


def _index(bounds: list[float], t: float) -> int:
    """The segment a timestamp falls in (bounds are sorted start times plus the end)."""
    lo, hi = 0, len(bounds) - 2
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if bounds[mid] <= t + 1e-6:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _may_go_on(folder: Path, run_id: str, n: int) -> bool:
    """Whether to make segment `n`: not if a newer run took over; if `n` is beyond the
    read-ahead horizon, wait up to RUN_IDLE_SECONDS for the player to move it."""
    deadline = time.monotonic() + RUN_IDLE_SECONDS
    while True:
        try:
            current, horizon = (folder / ".run").read_text().split()
        except (OSError, ValueError):
            return False  # the session ended and its folder is gone
        if current != run_id:
            return False
        if n <= int(horizon):
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)


def produce_run(
    plan_json: dict[str, Any], name: str, first: int, last: int, folder: str, run_id: str,
    presets: tuple[str, str],
) -> dict[str, float]:  # fmt: skip
    """Make segments first..last of variant `name` into `folder`; media and wall seconds.

    `presets`: the x264 preset of the first segment, and of the others."""
    import av

    plan = Plan.from_json(plan_json)
    variant = plan.variant(name)
    assert variant is not None
    bounds = plan.bounds(variant)
    started = time.monotonic()
    with av.open(plan.path) as container:
        runner = _Run(plan, variant, bounds, container, Path(folder), run_id, presets)
        runner.run(first, last)
    made = bounds[min(runner.last_done + 1, len(bounds) - 1)] - bounds[first]
    return {"media_seconds": max(0.0, made), "wall_seconds": time.monotonic() - started}


class _Run:
    """Routes decoded frames / copied packets of one seek to their segments."""

    def __init__(
        self, plan: Plan, variant: Variant, bounds: list[float], container: Any, folder: Path,
        run_id: str, presets: tuple[str, str],
    ) -> None:  # fmt: skip
        import av

        self.plan, self.variant, self.bounds, self.folder = plan, variant, bounds, folder
        # (first segment, the rest): the first is what the player waits for after a start or
        # a seek, so it may use a faster preset than the ones made ahead of the player.
        self.run_id, self.presets, self.container = run_id, presets, container
        self.vin = container.streams[plan.video_index]
        self.vin.thread_type = "AUTO"
        self.ain = container.streams[plan.audio_index] if plan.audio_index is not None else None
        self.offset = float((self.vin.start_time or 0) * self.vin.time_base)
        self.open: dict[int, _Segment] = {}
        self.started = time.monotonic()
        self.keyframe_time: float | None = None
        self.done: set[int] = set()
        self.last_done = -1
        self.resampler = av.AudioResampler("fltp", "stereo", AUDIO_RATE)

    def run(self, first: int, last: int) -> None:
        self.first, self.last = first, last
        start = self.bounds[first]
        seek_to = round((start + self.offset) / float(self.vin.time_base))
        self.container.seek(max(0, seek_to), stream=self.vin, backward=True)
        streams = [s for s in (self.vin, self.ain) if s is not None]
        position = {"video": first, "audio": first if self.ain is not None else last + 1}
        for packet in self.container.demux(*streams):
            kind = "video" if packet.stream is self.vin else "audio"
            if not self._feed(packet, kind, position):
                break
            if self._settle(min(position.values())):
                return
        for n in sorted(self.open):
            self._finish(n)

    def _feed(self, packet: Any, kind: str, position: dict[str, int]) -> bool:
        copy = self.variant.video == "copy" if kind == "video" else self.variant.audio == "copy"
        if copy:
            if packet.pts is None or packet.size == 0:
                return True
            n = self._route(self._packet_time(packet, kind), kind, position)
            if n is not None:
                seg = self._segment(n)
                seg.packet(packet, seg.vout if kind == "video" else seg.aout)
            return position[kind] <= self.last
        for frame in packet.decode():
            n = self._route(frame.time, kind, position)
            if n is None:
                continue
            seg, t = self._segment(n), float(frame.time) - self.offset
            if kind == "video":
                seg.video_frame(frame, t)
            else:
                seg.audio_frame(frame, t, self.resampler)
        return position[kind] <= self.last

    def _packet_time(self, packet: Any, kind: str) -> float:
        """A copied video packet belongs with the keyframe before it in decode order (open
        GOPs put leading B-frames before their keyframe's time); others go by their time."""
        time = float(packet.pts * packet.time_base)
        if kind != "video":
            return time
        if packet.is_keyframe or self.keyframe_time is None:
            self.keyframe_time = time
        return self.keyframe_time

    def _route(self, time: Any, kind: str, position: dict[str, int]) -> int | None:
        """The segment of this timestamp within the run, advancing the stream's position."""
        if time is None:
            return None
        n = _index(self.bounds, float(time) - self.offset)
        if float(time) - self.offset < self.bounds[self.first] - 1e-3 and kind == "video":
            return None
        position[kind] = max(position[kind], n)
        return n if self.first <= n <= self.last and n not in self.done else None

    def _segment(self, n: int) -> _Segment:
        if n not in self.open:
            target = self.folder / f"{n}.ts"
            preset = self.presets[0] if n == self.first else self.presets[1]
            self.open[n] = _Segment(target, self.variant, self.vin, self.ain, preset)
        return self.open[n]

    def _settle(self, reached: int) -> bool:
        """Close segments every stream has moved past; True when the run should stop."""
        for n in sorted(self.open):
            if n < reached:
                self._finish(n)
                if n >= self.last or not _may_go_on(self.folder, self.run_id, n + 1):
                    return True
        return reached > self.last

    def _finish(self, n: int) -> None:
        self.open.pop(n).close()
        self.done.add(n)
        self.last_done = max(self.last_done, n)
        # Media seconds made per second since the run began: the admin's "speed".
        made = self.bounds[n + 1] - self.bounds[self.first]
        wall = time.monotonic() - self.started
        if wall > 0:
            (self.folder / ".speed").write_text(f"{made / wall:.3f}")
