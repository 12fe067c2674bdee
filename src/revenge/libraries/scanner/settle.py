"""Waiting for files that are still being written (a copy in progress) before reading them.

A file is settled once its size and modification time have not changed for
`scanning.settle_seconds`. Only the files a scan is about to read (new or changed) and whose
modification time is that recent are watched, so a scan of a quiet library never waits. A
file still growing after `SETTLE_ROUNDS` quiet periods is left for the next scan (the
watcher queues one when the copy's writes end; otherwise the periodic scan finds it):
cataloguing it now would record a partial size and a broken probe.
"""

from __future__ import annotations

import asyncio
import os
import time

from revenge.libraries.scanner.walk import FoundFile

SETTLE_ROUNDS = 10


def _recent(files: list[FoundFile], quiet_ns: int) -> list[FoundFile]:
    now = time.time_ns()
    return [f for f in files if now - f.mtime_ns < quiet_ns]


def _restat(files: list[FoundFile], quiet_ns: int) -> list[FoundFile]:
    """The files still changing; the others get their final size and time."""
    changing = []
    now = time.time_ns()
    for f in files:
        try:
            st = os.stat(f.path)
        except OSError:
            continue  # gone meanwhile: the next scan marks it
        if (st.st_size, st.st_mtime_ns) != (f.size, f.mtime_ns) or now - st.st_mtime_ns < quiet_ns:
            changing.append(f)
        f.size, f.mtime_ns = st.st_size, st.st_mtime_ns
    return changing


async def still_written(files: list[FoundFile], settle_seconds: float) -> set[str]:
    """Wait for recently written files to settle; the paths of those that did not."""
    if settle_seconds <= 0:
        return set()
    quiet_ns = int(settle_seconds * 1e9)
    pending = _recent(files, quiet_ns)
    deadline = time.monotonic() + SETTLE_ROUNDS * settle_seconds
    while pending and time.monotonic() < deadline:
        newest = max(f.mtime_ns for f in pending)
        wait = max(0.05, (newest + quiet_ns - time.time_ns()) / 1e9)
        await asyncio.sleep(min(wait, max(0.0, deadline - time.monotonic())))
        pending = await asyncio.to_thread(_restat, pending, quiet_ns)
    return {f.path for f in pending}
