"""Stopping the events machinery never hangs, whatever arrives while it stops."""

from __future__ import annotations

import asyncio

from revenge.events.runner import start_events
from revenge.runtime import Runtime


async def test_relay_stops_when_woken_as_it_is_stopped(clean_runtime: Runtime) -> None:
    # An event committed in the very loop turn the node starts shutting down wakes the relay
    # while it waits for its next wake-up: stopping must still end it.
    for _ in range(3):
        stop = await start_events(clean_runtime, live=True)
        await asyncio.sleep(0.5)  # the relay has relayed the backlog and waits
        wake = clean_runtime.events.wake
        assert wake is not None
        wake()
        stopping = asyncio.create_task(stop())
        # (asyncio.wait: a deadline's own cancellation could be swallowed like the stop's.)
        done, _ = await asyncio.wait([stopping], timeout=8)
        assert stopping in done, "the events relay did not stop"
        stopping.result()
