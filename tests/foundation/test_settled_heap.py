"""A started server leaves its lasting objects out of the garbage collector's full
collections: what start-up builds, and what FastAPI and SQLAlchemy would otherwise build on
the first requests (every route's handler and parameter models, the mappers' instrumentation),
is settled once the app has started. Each full collection walks what is left; with ~90,000
objects left it paused every request in flight for ~40 ms every ~12 s under load."""

from __future__ import annotations

import asyncio
import gc
from typing import Any

import httpx

from revenge.app import create_app
from revenge.config import Settings
from revenge.infra import heap
from revenge.runtime import Runtime


async def test_a_started_server_leaves_its_lasting_objects_out_of_full_collections(
    clean_runtime: Runtime, settings: Settings
) -> None:
    served = heap.SettledOnStart(create_app(settings, run_worker=False, runtime=clean_runtime))
    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    outbox: asyncio.Queue[Any] = asyncio.Queue()
    scope = {"type": "lifespan", "asgi": {"version": "3.0"}}
    thresholds = gc.get_threshold()
    lifespan = asyncio.create_task(served(scope, inbox.get, outbox.put))
    try:
        await inbox.put({"type": "lifespan.startup"})
        assert (await outbox.get())["type"] == "lifespan.startup.complete"
        assert len(gc.get_objects()) < 2_000  # settled: almost nothing left to walk
        # And requests' objects are promoted towards full collections less often.
        assert gc.get_threshold()[0] == heap.YOUNG_THRESHOLD > thresholds[0]
        transport = httpx.ASGITransport(app=served)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            # One path into each of the native, Subsonic and Jellyfin routers.
            for path in ("/health/live", "/rest/ping.view", "/System/Info/Public"):
                assert (await c.get(path)).status_code == 200
        gc.collect()
        # The first requests built nothing lasting: only what pytest itself keeps since.
        assert len(gc.get_objects()) < 5_000
    finally:
        await inbox.put({"type": "lifespan.shutdown"})
        await outbox.get()
        await lifespan
        gc.unfreeze()
        gc.set_threshold(*thresholds)


def test_the_cache_of_words_holds_nothing_the_collector_walks() -> None:
    """Titles cut into words are kept by the ten thousand (index writes, ranking): kept as
    plain tuples of strings, the collector stops tracking them, and full collections do not
    grow with the cache."""
    from revenge.search.folding import cut, terms

    title = "Spider-Man: Far From Home"
    found = terms(title)
    assert found.words == ("spider", "man", "far", "from", "home")
    assert found.joined == {"spiderman": ("spider", "man")}
    # A collection stops tracking a tuple whose items it no longer tracks: one collection
    # per level of nesting at most.
    for _ in range(4):
        gc.collect()
    assert not gc.is_tracked(cut(title))
