"""Realtime monitoring: file changes become incremental scans of the affected folders.

One watcher runs for the whole cluster: it watches only while holding a PostgreSQL
advisory lock; other nodes keep trying, so a node dying hands the job over. It follows the
`scanning.realtime` server setting live: turned off, the holder stops watching and lets the
lock go; turned on, the nodes compete for the lock again. Changes are
debounced (`scanning.debounce_seconds` of quiet), reduced to the folders they touched,
and queued as one `libraries.scan` per library with `folders`; when a scan of that library
is already queued or running the folders wait and are queued after it. Whenever a node
starts watching (start-up, or taking over) it first queues an incremental scan of every
library, so changes made while nothing watched are caught up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from watchfiles import awatch

from revenge.infra.aio import wait_event
from revenge.infra.db.locks import advisory_lock
from revenge.libraries import repository as repo
from revenge.libraries.scanner.walk import within
from revenge.libraries.tasks import ScanLibrary, scan_dedupe_key, scan_library

if TYPE_CHECKING:
    from revenge.runtime import Runtime

log = logging.getLogger(__name__)

WATCHER_LOCK = (0x5C4, 0x77A7C4)
RETRY_SECONDS = 5.0
RELOAD_SECONDS = 30.0
REALTIME_KEY = "scanning.realtime"


def affected_folder(path: str, root: str) -> str:
    """The folder to rescan for a changed path: itself if a folder, else the nearest
    existing parent (a deleted file or folder leaves its parent), never above the root."""
    folder = path if os.path.isdir(path) else os.path.dirname(path)
    while not os.path.isdir(folder) and within(os.path.dirname(folder), root):
        folder = os.path.dirname(folder)
    return folder if within(folder, root) else root


def reduce_folders(folders: set[str]) -> list[str]:
    """Drop folders lying inside another listed folder."""
    ordered = sorted(folders, key=len)
    kept: list[str] = []
    for folder in ordered:
        if not any(within(folder, k) for k in kept):
            kept.append(folder)
    return sorted(kept)


class LibraryWatcher:
    """Watches every enabled library's folders while this node holds the watcher lock."""

    def __init__(self, runtime: Runtime, retry_seconds: float = RETRY_SECONDS) -> None:
        self.runtime = runtime
        self.retry_seconds = retry_seconds
        self.active = asyncio.Event()
        self.pending: dict[uuid.UUID, set[str]] = {}
        self._watched: set[str] = set()
        self._stop = asyncio.Event()
        # Set to stop the current watch early: on stop, or when `scanning.realtime` may
        # have changed.
        self._wake = asyncio.Event()
        self._unsubscribe: Callable[[], None] | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._unsubscribe = self.runtime.server_settings.subscribe(self._setting_changed)
        self._task = asyncio.create_task(self._run(), name="library-watcher")

    async def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None

    def _setting_changed(self, key: str | None) -> None:
        if key is None or key == REALTIME_KEY:
            self._wake.set()

    async def enabled(self) -> bool:
        """Whether realtime monitoring is on (the live server setting)."""
        return bool(await self.runtime.server_settings.get(REALTIME_KEY))

    async def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                if await self.enabled():
                    await self._hold_lock_and_watch()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("library watcher failed; retrying")
            await self._sleep(self.retry_seconds)

    async def _sleep(self, seconds: float) -> None:
        """Wait `seconds`, or less when stopping or the setting changes."""
        await wait_event(self._wake, seconds)

    async def _hold_lock_and_watch(self) -> None:
        async with advisory_lock(self.runtime.db.engine, *WATCHER_LOCK) as held:
            if held is None:
                return
            self.active.set()
            log.info("this node runs the library watcher")
            try:
                await self.catch_up()
                while not self._stop.is_set():
                    # Checked at every reload too, in case a change announcement was lost.
                    self._wake.clear()
                    if not await self.enabled():
                        log.info("realtime monitoring turned off; the watcher stops")
                        return
                    await self._watch_until_reload()
            finally:
                self.active.clear()
                self._watched = set()

    async def catch_up(self) -> None:
        """Queue an incremental scan of every enabled library.

        Run whenever a node starts watching (at start-up, or taking over from a node that
        died): files added, changed or removed while nobody watched produced no events.
        An incremental scan reads only what changed, so a quiet library costs one walk.
        """
        async with self.runtime.db.transaction() as session:
            libraries = await repo.list_libraries(session, None)
            for library, _ in libraries:
                if library.enabled:
                    payload = ScanLibrary(library_id=library.id, type="incremental")
                    await scan_library.enqueue(
                        session, payload, dedupe_key=scan_dedupe_key(library.id)
                    )
        log.info("queued catch-up scans of %d library(ies)", len(libraries))

    async def _roots(self) -> dict[str, uuid.UUID]:
        async with self.runtime.db.transaction() as session:
            libraries = await repo.list_libraries(session, None)
        wanted = {path: lib.id for lib, paths in libraries if lib.enabled for path in paths}
        # An unmounted root cannot be watched; it is picked up again at the next reload.
        present = await asyncio.to_thread(lambda: [p for p in wanted if os.path.isdir(p)])
        return {p: wanted[p] for p in present}

    async def _watch_until_reload(self) -> None:
        roots = await self._roots()
        if set(roots) != self._watched:
            log.info("watching %d library folder(s)", len(roots))
            self._watched = set(roots)
        if not roots:
            await self._sleep(RELOAD_SECONDS / 6)
            return
        if self._wake.is_set():
            return
        quiet_ms = int(self.runtime.settings.scanning.debounce_seconds * 1000)
        reload_at = asyncio.get_running_loop().time() + RELOAD_SECONDS
        async for changes in awatch(
            *roots, stop_event=self._wake, step=quiet_ms, debounce=max(10 * quiet_ms, 10_000),
            rust_timeout=int(self.retry_seconds * 1000), yield_on_timeout=True,
            watch_filter=None, ignore_permission_denied=True,
        ):  # fmt: skip
            for _, path in changes:
                self._note(path, roots)
            await self.flush()
            if self._wake.is_set() or asyncio.get_running_loop().time() > reload_at:
                return

    def _note(self, path: str, roots: dict[str, uuid.UUID]) -> None:
        for root, library_id in roots.items():
            if within(path, root):
                self.pending.setdefault(library_id, set()).add(affected_folder(path, root))
                return

    async def flush(self) -> None:
        """Queue one incremental scan per library with pending folders."""
        for library_id in list(self.pending):
            folders = reduce_folders(self.pending[library_id])
            payload = ScanLibrary(library_id=library_id, type="incremental", folders=folders)
            async with self.runtime.db.transaction() as session:
                job_id = await scan_library.enqueue(
                    session, payload, dedupe_key=scan_dedupe_key(library_id)
                )
            if job_id is not None:
                del self.pending[library_id]
                log.info("queued scan of %d folder(s) of library %s", len(folders), library_id)
