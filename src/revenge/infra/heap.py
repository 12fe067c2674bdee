"""Keep the garbage collector off the long-lived heap of a server process, and keep the C
allocator from holding memory that threads have freed.

A service process builds hundreds of thousands of objects that live as long as it does
(modules, the ORM's metadata, the routes and their models). Python's full collections walk
all of them: under load they were measured at 90-150 ms, several times a minute, each one a
latency spike for every request in flight (bench/catalog.py, browse p99 ~150 ms). Frozen
after start-up, they are left out of every later collection.
"""

from __future__ import annotations

import ctypes
import gc
import sys
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

# glibc's mallopt parameters (malloc.h).
_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8
# glibc gives each thread that allocates its own arena (up to 8 per core) and raises its mmap
# threshold to the largest block freed so far (up to 32 MiB), so a big buffer freed by a
# worker thread (an argon2 hash's 19 MiB, a decoded poster) stays in that thread's arena for
# good. Measured under bench/load.py at 100,000 items: 267 MiB resident after the run with
# glibc's defaults, 194 MiB with two arenas and a fixed 256 KiB threshold, same throughput.
ARENAS = 2
MMAP_THRESHOLD = 256 * 1024
# Allocations between two young collections (CPython's default: 700). Every object of a
# request in flight when one runs survives it, and after two is moved to the oldest
# generation, whose growth by a quarter sets off a full collection: with 50 requests in
# flight that was a full collection every ~6 s at 100 requests/s, 15-25 ms each, pausing
# every request in flight. At 10,000 the young collections are rarer, walk ~1 ms of
# objects, and bench/catalog.py's think-time runs saw no full collection at all (5 before).
YOUNG_THRESHOLD = 10_000


def settle() -> None:
    """Collect once, then move every surviving object to the permanent generation; from
    then on, collect the young generation less often (`YOUNG_THRESHOLD`).

    Only for server and worker processes, after the application is built: objects frozen
    are never collected, even once unreachable.
    """
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)


class SettledOnStart:
    """An ASGI app that settles the heap (`settle`) once its lifespan has started, before the
    server takes requests: what start-up loads (settings, the search vocabulary, pools) lives
    as long as the process, and settled before it, left ~10,000 objects more in every full
    collection."""

    def __init__(self, app: Callable[[Message, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    def __getattr__(self, name: str) -> Any:
        return getattr(self.app, name)

    def __call__(self, scope: Message, receive: Receive, send: Send) -> Awaitable[None]:
        # Every request passes here: handed on as it is, with no coroutine of this layer's.
        if scope["type"] != "lifespan":
            return self.app(scope, receive, send)
        return self._lifespan(scope, receive, send)

    async def _lifespan(self, scope: Message, receive: Receive, send: Send) -> None:
        async def settle_when_started(message: Message) -> None:
            if message["type"] == "lifespan.startup.complete":
                settle()
            await send(message)

        await self.app(scope, receive, settle_when_started)


def tune_allocator() -> None:
    """Bound glibc's arenas and return large freed blocks to the system at once.

    Call before the process starts threads; elsewhere than glibc it does nothing.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        # The process's own symbols: the C library it runs on, without searching for it.
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # a C library without mallopt
        return
    mallopt(_M_ARENA_MAX, ARENAS)
    mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
