"""Starting the events machinery of one process: the outbox relay everywhere, and the live
hub (the streams of `GET /api/v1/events`) on nodes that serve HTTP."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from revenge.events.live import LiveBus, LiveHub
from revenge.events.relay import Relay

if TYPE_CHECKING:
    from revenge.runtime import Runtime


async def start_events(runtime: Runtime, *, live: bool) -> Callable[[], Awaitable[None]]:
    """Start the relay (and with `live`, this node's hub); returns the function stopping them."""
    cfg = runtime.settings.events
    hub = LiveHub(cfg.replay_buffer)
    settings = runtime.settings
    bus = LiveBus(runtime.db.url, settings.redis_url, hub, settings.cache.redis_prefix)
    if live:
        await bus.start()
        runtime.live_hub = hub
    relay = Relay(runtime, bus)
    await relay.start()
    runtime.events.wake = relay.wake
    runtime.events.live = bus

    async def stop() -> None:
        runtime.events.wake = None
        runtime.events.live = None
        runtime.live_hub = None
        await relay.close()
        await bus.close()

    return stop


def live_hub(runtime: Runtime) -> LiveHub | None:
    return runtime.live_hub
