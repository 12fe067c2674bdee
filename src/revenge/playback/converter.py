"""Audio conversions in child processes: a warm spare, a limit, and one handle per stream.

Each conversion is its own child (`revenge.playback.audio_convert`): a crash or a hung
decoder takes down only that stream, and stopping a stream is killing its child. One spare
child is kept started (interpreter and PyAV loaded, waiting for its job), which takes the
~0.2 s start-up out of the time to the first byte. The limit is the
`transcoding.audio_max_concurrent` server setting, counted per server process; a stream over
it is refused at once with 503 and `Retry-After` rather than queued, so a player can retry or
fall back to the original file.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import sys
from dataclasses import dataclass
from typing import Any

from revenge.errors import BadRequest, Gone, NotFound, ServiceUnavailable, Unprocessable

log = logging.getLogger(__name__)

# How long a child may take to open the file and decode its first frame.
START_TIMEOUT = 20.0
# The pipe from a child is read this much at a time (the kernel buffers ~64 KiB more).
READ_SIZE = 64 * 1024
_STATUS_LIMIT = 64 * 1024
EXIT_GRACE = 5.0


class MediaUnreadable(Unprocessable):
    """A catalogued file that cannot be decoded (corrupt, truncated, not audio)."""

    title = "Media unreadable"
    slug = "media-unreadable"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, field="file")


def _vanished(path: str) -> bool:
    # Only on the failure path, and as cheap as the open that just failed.
    return not os.path.lexists(path)


@dataclass(frozen=True, slots=True)
class Job:
    path: str
    roots: list[str]
    format: str
    kbps: int
    offset: float


class Conversion:
    """One running child: read its output with `read`, end it with `close` (idempotent)."""

    def __init__(self, proc: asyncio.subprocess.Process, release: Any) -> None:
        self.proc = proc
        self._release = release

    async def read(self) -> bytes:
        """The next bytes of the stream; b"" at its end."""
        assert self.proc.stdout is not None
        return await self.proc.stdout.read(READ_SIZE)

    async def close(self) -> None:
        if self._release is None:
            return
        release, self._release = self._release, None
        try:
            await self._end()
        finally:
            release()

    async def _end(self) -> None:
        proc = self.proc
        assert proc.stdout is not None
        if proc.returncode is None and proc.stdout.at_eof():
            # It wrote everything: let it exit (signalling a finished child races its reaping).
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(proc.wait(), EXIT_GRACE)
        if proc.returncode is None:
            # The listener left (or the server is stopping): no reason to go on.
            log.info("audio conversion %s stopped before its end", proc.pid)
            proc.kill()
        code = await proc.wait()
        if code not in (0, -signal.SIGKILL):
            log.warning("audio conversion %s ended with status %s", proc.pid, code)


class AudioConverters:
    """Starts conversions within the limit, with one spare child ready."""

    def __init__(self) -> None:
        self.active = 0
        self._spare: asyncio.subprocess.Process | None = None
        self._spawning: asyncio.Task[None] | None = None

    async def _spawn(self) -> asyncio.subprocess.Process:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "revenge.playback.audio_convert",
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL, limit=_STATUS_LIMIT,
        )  # fmt: skip

    async def _refill(self) -> None:
        self._spare = await self._spawn()

    async def _take(self) -> asyncio.subprocess.Process:
        if self._spawning is not None:
            with contextlib.suppress(Exception):
                await self._spawning
            self._spawning = None
        proc, self._spare = self._spare, None
        if proc is None or proc.returncode is not None:
            proc = await self._spawn()
        self._spawning = asyncio.ensure_future(self._refill())
        return proc

    async def start(self, job: Job, limit: int) -> Conversion:
        """A started conversion whose first frame decoded; 404, 422 or 503 otherwise."""
        if limit <= 0:
            raise ServiceUnavailable("Audio conversion is turned off on this server.", 60)
        if self.active >= limit:
            raise ServiceUnavailable(f"All {limit} audio conversions are in use; retry soon.")
        self.active += 1
        conversion = Conversion(await self._take(), self._release)
        try:
            status = await asyncio.wait_for(_send_job(conversion.proc, job), START_TIMEOUT)
        except BaseException:
            await conversion.close()
            raise
        if status.get("ok"):
            return conversion
        await conversion.close()
        if status.get("reason") == "unavailable":
            if _vanished(job.path):  # gone since the last scan: 410, as for streams
                raise Gone("The file is missing from its library folder; rescan the library.")
            raise NotFound("The file is not available.")
        if status.get("reason") == "past_end":
            raise BadRequest(f"offset {job.offset:g} s is past the end of the audio.")
        raise MediaUnreadable(str(status.get("error") or "The file cannot be decoded."))

    def _release(self) -> None:
        self.active -= 1

    async def close(self) -> None:
        """Stop the spare (running conversions end with their responses)."""
        if self._spawning is not None:
            with contextlib.suppress(Exception):
                await self._spawning
        spare, self._spare = self._spare, None
        if spare is not None and spare.returncode is None:
            assert spare.stdin is not None
            spare.stdin.close()  # an empty job line: the spare exits by itself
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(spare.wait(), 2)
            if spare.returncode is None:
                spare.kill()
                await spare.wait()


async def _send_job(proc: asyncio.subprocess.Process, job: Job) -> dict[str, Any]:
    assert proc.stdin is not None and proc.stdout is not None
    payload = {
        "path": job.path, "roots": job.roots, "format": job.format, "kbps": job.kbps,
        "offset": job.offset,
    }  # fmt: skip
    proc.stdin.write(json.dumps(payload).encode() + b"\n")
    with contextlib.suppress(ConnectionError):
        await proc.stdin.drain()
    proc.stdin.close()
    line = await proc.stdout.readline()
    if not line:
        return {"error": "The converter stopped before reading the file.", "reason": "crash"}
    status: dict[str, Any] = json.loads(line)
    return status
