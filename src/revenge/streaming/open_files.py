"""Library files kept open for a few seconds, for a player's next range request.

A player fetches a file as a run of range requests, hundreds a minute. Opening it safely
(`files.open_confined`) takes nine system calls, and every open inside a library folder wakes
the library watcher (inotify reports the open, which the watcher then ignores). Like nginx's
`open_file_cache`, `OpenFiles` keeps the confined descriptor while the file is in use and
hands each request a duplicate of it.

Every hit is checked with one `stat` of the path: a file replaced, rewritten, moved away or
deleted since (another device, inode, size, modification or change time) is opened afresh
through the same confinement, so a symlink swapped in that leads outside the library roots
is refused as before. What a hit serves is the very inode that was confined when it was
opened.

A duplicate shares its file position with the kept descriptor, so a holder must use only
positional reads (`sendfile` with an offset, `pread`): `OpenFileResponse` does. Used from
the event loop's thread only.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from revenge.streaming.files import open_confined

if TYPE_CHECKING:
    from revenge.runtime import Runtime

# Long enough to span the gaps between a player's range requests; short enough that a deleted
# file's space comes back soon after its last request.
IDLE_SECONDS = 5.0
MAX_OPEN = 128

_Key = tuple[str, tuple[str, ...]]


def _version(st: os.stat_result) -> tuple[int, ...]:
    """What tells one version of one file from another: device, inode, size, times."""
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


@dataclass(slots=True)
class Kept:
    """A kept descriptor: one object for as long as its path leads to the same version."""

    fd: int
    st: os.stat_result
    version: tuple[int, ...]  # `_version(st)`, compared with the path's on every hit
    idle_until: float


def _same_file(path: str, version: tuple[int, ...]) -> bool:
    """Whether `path` still leads to the file of `version`, unchanged."""
    try:
        return _version(os.stat(path)) == version
    except OSError:
        return False


class OpenFiles:
    """Confined descriptors of recently sent files, closed after IDLE_SECONDS unused."""

    def __init__(self, idle_seconds: float = IDLE_SECONDS, max_open: int = MAX_OPEN) -> None:
        self.idle_seconds = idle_seconds
        self.max_open = max_open
        self._kept: OrderedDict[_Key, Kept] = OrderedDict()  # least recently used first
        self._sweep: asyncio.TimerHandle | None = None

    def __len__(self) -> int:
        return len(self._kept)

    def open(self, path: str, roots: list[str]) -> tuple[int, os.stat_result] | None:
        """As `open_confined`: a descriptor the caller owns and closes, and its status."""
        key = (path, tuple(roots))
        kept = self._kept_hit(key)
        if kept is not None:
            try:
                return os.dup(kept.fd), kept.st
            except OSError:  # out of descriptors: refused, as a fresh open would be
                return None
        opened = open_confined(path, roots)
        if opened is not None:
            self._keep(key, opened)
        return opened

    def borrow(self, path: str, roots: tuple[str, ...]) -> Kept | None:
        """The kept descriptor of `path`, checked as `open` checks it, if one is kept: for
        use until the event loop next turns (it is not the caller's, and it is closed
        only by the loop's callbacks), which spares a duplicate and its closing."""
        return self._kept_hit((path, roots))

    def _kept_hit(self, key: _Key) -> Kept | None:
        kept = self._kept.get(key)
        if kept is None:
            return None
        if not _same_file(key[0], kept.version):
            self._drop(key)
            return None
        kept.idle_until = time.monotonic() + self.idle_seconds
        self._kept.move_to_end(key)
        return kept

    def _keep(self, key: _Key, opened: tuple[int, os.stat_result]) -> None:
        try:
            fd = os.dup(opened[0])
        except OSError:  # out of descriptors: this request is served, nothing is kept
            return
        st = opened[1]
        self._kept[key] = Kept(fd, st, _version(st), time.monotonic() + self.idle_seconds)
        while len(self._kept) > self.max_open:
            self._drop(next(iter(self._kept)))
        self._schedule_sweep()

    def _drop(self, key: _Key) -> None:
        os.close(self._kept.pop(key).fd)

    def _schedule_sweep(self) -> None:
        if self._sweep is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # called outside a loop: entries then expire on their next use
            return
        self._sweep = loop.call_later(self.idle_seconds, self._close_idle)

    def _close_idle(self) -> None:
        self._sweep = None
        now = time.monotonic()
        while self._kept:
            key, kept = next(iter(self._kept.items()))
            if kept.idle_until > now:
                break
            self._drop(key)
        if self._kept:
            self._schedule_sweep()

    async def close(self) -> None:
        if self._sweep is not None:
            self._sweep.cancel()
            self._sweep = None
        while self._kept:
            self._drop(next(iter(self._kept)))


def kept_open(runtime: Runtime) -> OpenFiles:
    """This process's kept-open files (closed with the runtime)."""
    found = runtime.open_files
    if found is None:
        found = runtime.open_files = OpenFiles()
        runtime.closers.append(found.close)
    return found
