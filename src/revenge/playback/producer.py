"""This node's segment maker: a pool of worker processes, runs, read-ahead, temp files.

Segments live under `<data_dir>/transcode/<session>/<variant>/<n>.ts`. A request for a
segment that is on disk is served from there; one that a running run will reach soon is
waited for; anything else starts a new run at that segment (a seek to 80% starts there and
makes nothing before it). A run makes at most `read_ahead_segments` beyond the segment asked
for; the `.run` marker lets a newer run stop an older one between segments.

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

log = logging.getLogger(__name__)
POLL_SECONDS = 0.02


class ProductionFailed(Exception):
    """A segment could not be made: the reason is for the player and the media file."""


@dataclass(slots=True)
class _RunState:
    run_id: str
    first: int
    last: int
    future: asyncio.Future[dict[str, float]]


def _warm() -> bool:
    import av  # noqa: F401  (loads FFmpeg in the worker before the first real job)

    return True


class SegmentProducer:
    """Makes segments of this node's sessions in worker processes."""

    def __init__(self, root: Path, settings: PlaybackSettings, workers: int) -> None:
        self.root = root
        self.settings = settings
        self.workers = max(1, workers)
        self._pool: ProcessPoolExecutor | None = None
        self._runs: dict[tuple[uuid.UUID, str], _RunState] = {}
        self.on_speed: Callable[[uuid.UUID, float], None] | None = None

    def pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(self.workers, mp_context=context)
        return self._pool

    async def warm(self) -> None:
        """Start the worker processes now, so the first segment does not pay for it."""
        loop = asyncio.get_running_loop()
        await asyncio.gather(
            *(loop.run_in_executor(self.pool(), _warm) for _ in range(self.workers))
        )

    async def _call(self, fn: Callable[..., Any], *args: Any) -> Any:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self.pool(), fn, *args)
        except BrokenProcessPool as exc:
            self._pool = None  # a worker died (FFmpeg crash): the next call gets a new pool
            raise ProductionFailed("the media worker crashed on this file") from exc
        except ProductionFailed:
            raise
        except Exception as exc:
            raise ProductionFailed(_reason(exc)) from exc

    async def plan(
        self, path: str, duration: float, video: int, audio: int | None, variants: list[Variant]
    ) -> Plan:
        plan: Plan = await self._call(
            build_plan, path, duration, video, audio, variants, self.settings.segment_seconds
        )
        return plan

    async def probe(self, path: str) -> dict[str, Any]:
        """The scanner's probe of one file, run in a worker process."""
        result: dict[str, Any] = await self._call(probe_file, path)
        return result

    def folder(self, session_id: uuid.UUID, variant: str) -> Path:
        return self.root / str(session_id) / variant

    async def segment(self, session_id: uuid.UUID, plan: Plan, variant: Variant, n: int) -> Path:
        """The path of segment `n`, made now if needed; read-ahead continues after it."""
        folder = self.folder(session_id, variant.name)
        target = folder / f"{n}.ts"
        if not target.exists():
            state = self._runs.get((session_id, variant.name))
            if state is None or not (state.first <= n <= state.last) or state.future.done():
                state = self._start(session_id, plan, variant, n)
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

    def _read_ahead(self, session_id: uuid.UUID, plan: Plan, variant: Variant, n: int) -> None:
        """Keep up to `read_ahead_segments` made beyond `n` (one run at a time)."""
        count = len(plan.bounds(variant)) - 1
        horizon = min(count - 1, n + self.settings.read_ahead_segments)
        folder = self.folder(session_id, variant.name)
        missing = next(
            (k for k in range(n + 1, horizon + 1) if not (folder / f"{k}.ts").exists()), None
        )
        state = self._runs.get((session_id, variant.name))
        if missing is None or (state is not None and not state.future.done()):
            if state is not None and not state.future.done():
                _mark(folder, state.run_id, max(state.last, horizon))
            return
        self._start(session_id, plan, variant, missing)

    def _start(self, session_id: uuid.UUID, plan: Plan, variant: Variant, first: int) -> _RunState:
        count = len(plan.bounds(variant)) - 1
        last = min(count - 1, first + self.settings.read_ahead_segments)
        folder = self.folder(session_id, variant.name)
        folder.mkdir(parents=True, exist_ok=True)
        run_id = uuid.uuid4().hex
        _mark(folder, run_id, last)
        args = (plan.to_json(), variant.name, first, last, str(folder), run_id)
        future = asyncio.ensure_future(self._call(produce_run, *args, self.settings.x264_preset))
        future.add_done_callback(lambda f: self._report(session_id, f))
        state = self._runs[(session_id, variant.name)] = _RunState(run_id, first, last, future)
        return state

    def _report(self, session_id: uuid.UUID, future: asyncio.Future[dict[str, float]]) -> None:
        if future.cancelled() or future.exception() is not None:
            return
        result = future.result()
        if result["wall_seconds"] > 0 and self.on_speed is not None:
            self.on_speed(session_id, result["media_seconds"] / result["wall_seconds"])

    async def idle(self) -> None:
        """Wait until no run of this node is going (benchmarks measure from a quiet start)."""
        pending = [s.future for s in self._runs.values() if not s.future.done()]
        await asyncio.gather(*pending, return_exceptions=True)

    def sessions_on_disk(self) -> list[uuid.UUID]:
        found = []
        for child in self.root.glob("*") if self.root.exists() else []:
            try:
                found.append(uuid.UUID(child.name))
            except ValueError:
                continue
        return found

    def remove(self, session_id: uuid.UUID) -> None:
        """Forget a session and delete its files (a run still going stops at its next check)."""
        for key in [k for k in self._runs if k[0] == session_id]:
            del self._runs[key]
        shutil.rmtree(self.root / str(session_id), ignore_errors=True)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


def _exists(path: Path) -> bool:
    """A stat of a local file: microseconds, cheaper than a thread hop."""
    return path.exists()


def _mark(folder: Path, run_id: str, horizon: int) -> None:
    tmp = folder / ".run.tmp"
    tmp.write_text(f"{run_id} {horizon}")
    tmp.replace(folder / ".run")


def _reason(exc: BaseException) -> str:
    """A player-facing reason: FFmpeg's message without paths."""
    text = str(exc).split(": '/")[0].strip() or type(exc).__name__
    return f"the file could not be decoded: {text}"[:300]


__all__ = ["Future", "ProductionFailed", "SegmentProducer"]
