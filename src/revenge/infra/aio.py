"""Waiting on an event and stopping a background task without losing a cancellation.

On Python 3.11, `asyncio.wait_for(aw, timeout)` returns `aw`'s result when the waiting task
is cancelled in the loop turn `aw` completes in: the cancellation is lost (CPython
gh-86296, fixed in 3.12). A background loop that waits for its wake-up event that way and is
stopped by cancelling it runs on for ever if it is woken as it is stopped (an event committed
during shutdown), and whoever awaits it hangs. `asyncio.timeout` has no such window.
"""

from __future__ import annotations

import asyncio
from typing import Any

# How often a task that outlives its cancellation is cancelled again.
_RECANCEL_SECONDS = 1.0


async def wait_event(event: asyncio.Event, seconds: float) -> bool:
    """Wait until `event` is set, at most `seconds`; whether it is set."""
    try:
        async with asyncio.timeout(seconds):
            await event.wait()
    except TimeoutError:
        return False
    return True


async def stop_task(task: asyncio.Task[Any]) -> None:
    """Cancel `task` and wait until it has ended; a failure it ended with is raised.

    The cancellation is delivered again while the task runs on, so a library that swallows
    one (inside a socket read, say) cannot keep it alive. The caller's own cancellation is
    never absorbed here.
    """
    while not task.done():
        task.cancel()
        await asyncio.wait([task], timeout=_RECANCEL_SECONDS)
    if not task.cancelled() and (failure := task.exception()) is not None:
        raise failure
