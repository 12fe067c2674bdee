"""This node's segment maker: a pool of worker processes, runs, read-ahead, temp files.

Segments live under `<data_dir>/transcode/<session>/<variant>/<n>.ts`. A request for a
segment that is on disk is served from there; one that a running run will reach soon is
waited for; one another node made is answered from the shared store when segments are shared
(see segment_store); anything else starts a new run at that segment (a seek to 80% starts
there and makes nothing before it). A run makes at most `read_ahead_segments` beyond the
segment asked for; the `.run` marker lets a newer run stop an older one between segments.
When segments are shared, every segment a run finishes is stored.

The pool's processes are spawned (never forked from the event loop's process) and do all
decoding and encoding; a crashed worker (FFmpeg fault) breaks only the pool, which is
replaced for the next request.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import shutil
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from revenge.config import PlaybackSettings
from revenge.libraries.probe import probe_file
from revenge.playback.encode import produce_run
from revenge.playback.plan import Plan, Variant, build_plan
from revenge.playback.segment_store import SegmentStore

log = logging.getLogger(__name__)
POLL_SECONDS = 0.02
# How often a run's folder is looked at for finished segments to store (shared segments).
PUBLISH_POLL_SECONDS = 0.1


class ProductionFailed(Exception):
    """A segment could not be made: the reason is for the player and the media file."""


@dataclass(slots=True)
class _RunState:
    run_id: str
    first: int
    horizon: int  # the last segment the run may make before it waits for the player
    future: asyncio.Future[dict[str, float]]
    publisher: asyncio.Task[None] | None = None  # stores what the run makes (shared segments)


def _warm() -> bool:
    import av  # noqa: F401  (loads FFmpeg in the worker before the first real job)

    return True


class SegmentProducer:
    """Makes segments of this node's sessions in worker processes."""

    def __init__(self, store: SegmentStore, settings: PlaybackSettings, workers: int) -> None:
        self.store = store
        self.root = store.root
        self.settings = settings
        self.workers = max(1, workers)
        # Runs (which may hold a process for a whole film) and quick jobs (plans, probes: a
        # decision must not wait behind playing sessions) have separate pools.
        self._pools: dict[str, ProcessPoolExecutor] = {}
        self._runs: dict[tuple[uuid.UUID, str], _RunState] = {}
        self._published: set[tuple[uuid.UUID, str, int]] = set()

    def pool(self, name: str = "runs") -> ProcessPoolExecutor:
        if name not in self._pools:
            context = multiprocessing.get_context("spawn")
            size = self.workers if name == "runs" else 1
            self._pools[name] = ProcessPoolExecutor(size, mp_context=context)
        return self._pools[name]

    async def warm(self) -> None:
        """Start the worker processes now, so the first segment does not pay for it."""
        loop = asyncio.get_running_loop()
        jobs = [("quick", 1), ("runs", self.workers)]
        await asyncio.gather(
            *(loop.run_in_executor(self.pool(name), _warm) for name, n in jobs for _ in range(n))
        )

    async def _call(self, name: str, fn: Callable[..., Any], *args: Any) -> Any:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self.pool(name), fn, *args)
        except BrokenProcessPool as exc:
            self._pools.pop(name, None)  # a worker died (FFmpeg crash): a new pool next time
            raise ProductionFailed("the media worker crashed on this file") from exc
        except ProductionFailed:
            raise
        except Exception as exc:
            raise ProductionFailed(_reason(exc)) from exc

    async def plan(
        self, path: str, duration: float, video: int, audio: int | None, variants: list[Variant]
    ) -> Plan:
        plan: Plan = await self._call(
            "quick",
            build_plan,
            path,
            duration,
            video,
            audio,
            variants,
            self.settings.segment_seconds,
        )
        return plan

    async def probe(self, path: str) -> dict[str, Any]:
        """The scanner's probe of one file, run in a worker process."""
        result: dict[str, Any] = await self._call("quick", probe_file, path)
        return result

    def folder(self, session_id: uuid.UUID, variant: str) -> Path:
        return self.root / str(session_id) / variant

    async def segment(
        self, session_id: uuid.UUID, plan: Plan, variant: Variant, n: int
    ) -> Path | bytes:
        """Segment `n`: this node's file, made now if needed (read-ahead continues after it),
        or the one another node stored (a path in a storage folder, or bytes)."""
        folder = self.folder(session_id, variant.name)
        target = folder / f"{n}.ts"
        if not _exists(target):
            state = self._runs.get((session_id, variant.name))
            near = self.settings.read_ahead_segments + 1
            if state is None or state.future.done() or not state.first <= n <= state.horizon + near:
                # No run here will reach it: another node may have made it. (The node that
                # made it reads ahead for the player; this one does not start a run as well.)
                stored = await self.store.fetch(session_id, variant.name, n)
                if stored is not None:
                    return stored
                state = self._start(session_id, plan, variant, n)
            self._extend(state, folder, plan, variant, n)
            await self._wait(target, state)
        self._read_ahead(session_id, plan, variant, n)
        return target

    async def _wait(self, target: Path, state: _RunState) -> None:
        while not _exists(target):
            if state.future.done():
                exc = state.future.exception()
                if exc is not None:
                    raise exc if isinstance(exc, ProductionFailed) else ProductionFailed(str(exc))
                if not _exists(target):
                    raise ProductionFailed("the segment could not be cut from this file")
            await asyncio.sleep(POLL_SECONDS)

    def _extend(self, state: _RunState, folder: Path, plan: Plan, variant: Variant, n: int) -> None:
        """Let a running run go on to `n` plus the read-ahead."""
        count = len(plan.bounds(variant)) - 1
        horizon = min(count - 1, n + self.settings.read_ahead_segments)
        if horizon > state.horizon:
            state.horizon = horizon
            _mark(folder, state.run_id, horizon)

    def _read_ahead(self, session_id: uuid.UUID, plan: Plan, variant: Variant, n: int) -> None:
        """Keep up to `read_ahead_segments` made beyond `n` (one run per variant at a time)."""
        folder = self.folder(session_id, variant.name)
        state = self._runs.get((session_id, variant.name))
        if state is not None and not state.future.done():
            self._extend(state, folder, plan, variant, n)
            return
        count = len(plan.bounds(variant)) - 1
        horizon = min(count - 1, n + self.settings.read_ahead_segments)
        missing = next(
            (k for k in range(n + 1, horizon + 1) if not _exists(folder / f"{k}.ts")), None
        )
        if missing is not None:
            self._start(session_id, plan, variant, missing)

    def _start(self, session_id: uuid.UUID, plan: Plan, variant: Variant, first: int) -> _RunState:
        """A run from `first` that goes on as long as the player keeps asking (see encode)."""
        count = len(plan.bounds(variant)) - 1
        horizon = min(count - 1, first + self.settings.read_ahead_segments)
        folder = self.folder(session_id, variant.name)
        folder.mkdir(parents=True, exist_ok=True)
        self._stop_others(session_id, variant.name)
        run_id = uuid.uuid4().hex
        _mark(folder, run_id, horizon)
        args = (plan.to_json(), variant.name, first, count - 1, str(folder), run_id)
        future = asyncio.ensure_future(self._call("runs", produce_run, *args, self._presets()))
        state = self._runs[(session_id, variant.name)] = _RunState(run_id, first, horizon, future)
        if self.store.shared:
            state.publisher = asyncio.create_task(self._publish(session_id, variant.name, state))
        return state

    async def _publish(self, session_id: uuid.UUID, variant: str, state: _RunState) -> None:
        """Store the run's segments as they are finished, in order, until the run ends."""
        folder, n = self.folder(session_id, variant), state.first
        while (session_id, variant) in self._runs:  # until the session is removed
            ended = state.future.done()  # read first: a segment finished meanwhile is seen
            path = folder / f"{n}.ts"
            if _exists(path):
                if (session_id, variant, n) not in self._published:
                    try:
                        await self.store.publish(session_id, variant, n, path)
                    except Exception:  # this node still serves its own; others make theirs
                        log.warning("storing segment %s of %s failed", n, session_id, exc_info=True)
                        return
                    self._published.add((session_id, variant, n))
                n += 1
            elif ended:
                return
            else:
                await asyncio.sleep(PUBLISH_POLL_SECONDS)

    def _presets(self) -> tuple[str, str]:
        preset = self.settings.x264_preset
        return (self.settings.first_segment_preset or preset, preset)

    def _stop_others(self, session_id: uuid.UUID, keep: str) -> None:
        """A player plays one variant at a time: a switch frees the old variant's process."""
        for (sid, name), state in self._runs.items():
            if sid == session_id and name != keep and not state.future.done():
                _mark(self.folder(sid, name), "stopped", -1)

    async def idle(self) -> None:
        """Wait until no run of this node is going (benchmarks measure from a quiet start)."""
        pending = [s.future for s in self._runs.values() if not s.future.done()]
        await asyncio.gather(*pending, return_exceptions=True)
        uploads = [s.publisher for s in self._runs.values() if s.publisher is not None]
        await asyncio.gather(*uploads, return_exceptions=True)

    def speeds(self) -> dict[uuid.UUID, float]:
        """The latest production speed of each session this node makes segments for."""
        found: dict[uuid.UUID, tuple[float, float]] = {}
        for session_id in self.sessions_on_disk():
            for marker in (self.root / str(session_id)).glob("*/.speed"):
                try:
                    stamp, speed = marker.stat().st_mtime, float(marker.read_text())
                except (OSError, ValueError):
                    continue
                if stamp > found.get(session_id, (0.0, 0.0))[0]:
                    found[session_id] = (stamp, speed)
        return {session_id: speed for session_id, (_, speed) in found.items()}

    def sessions_on_disk(self) -> list[uuid.UUID]:
        found = []
        for child in self.root.glob("*") if self.root.exists() else []:
            try:
                found.append(uuid.UUID(child.name))
            except ValueError:
                continue
        return found

    async def remove(self, session_id: uuid.UUID) -> None:
        """Forget a session and delete its files, here and those this node stored (a run still
        going stops at its next check)."""
        for key in [k for k in self._runs if k[0] == session_id]:
            _cancel(self._runs.pop(key).publisher)
        self._published = {p for p in self._published if p[0] != session_id}
        # Renamed first (atomic): a run still writing cannot recreate files under the
        # session's name, and whatever it leaves in the renamed folder goes on the next pass.
        trash = self.root / f".trash-{uuid.uuid4().hex}"
        try:
            (self.root / str(session_id)).rename(trash)
        except OSError:
            return
        await self.store.forget(session_id)
        shutil.rmtree(trash, ignore_errors=True)

    def sweep(self) -> None:
        """Delete what removals left behind (files a run was still writing)."""
        for leftover in self.root.glob(".trash-*") if self.root.exists() else []:
            shutil.rmtree(leftover, ignore_errors=True)

    def close(self) -> None:
        """Stop every run and the worker processes (a run may otherwise go on for minutes)."""
        for (session_id, variant), state in self._runs.items():
            folder = self.folder(session_id, variant)
            if not state.future.done() and folder.exists():
                _mark(folder, "stopped", -1)
            _cancel(state.publisher)
        self._runs.clear()
        pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            workers = list((getattr(pool, "_processes", None) or {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
            for process in workers:
                process.terminate()


def _cancel(task: asyncio.Task[None] | None) -> None:
    if task is not None:
        task.cancel()


def _exists(path: Path) -> bool:
    """A stat of a local file: microseconds, cheaper than a thread hop."""
    return path.exists()


def _mark(folder: Path, run_id: str, horizon: int) -> None:
    """Name the variant's current run and how far it may go (atomically)."""
    tmp = folder / ".run.tmp"
    try:
        tmp.write_text(f"{run_id} {horizon}")
        tmp.replace(folder / ".run")
    except FileNotFoundError:
        pass  # the session ended and its folder is gone: its runs stop on their own


def _reason(exc: BaseException) -> str:
    """A player-facing reason: FFmpeg's message without paths."""
    text = str(exc).split(": '/")[0].strip() or type(exc).__name__
    return f"the file could not be decoded: {text}"[:300]


__all__ = ["Future", "ProductionFailed", "SegmentProducer"]
