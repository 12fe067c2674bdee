"""`create_app()` and its lifespan: builds the Runtime, starts background work, mounts routes."""

from __future__ import annotations

import inspect
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from sqlalchemy.orm import configure_mappers

from revenge import __version__
from revenge.api import openapi, problems
from revenge.api.auth import WEB_APP_SEGMENTS
from revenge.api.middleware import RequestGuardMiddleware
from revenge.api.routing import prepare as prepare_routes
from revenge.compat.jellyfin.paths import JellyfinPaths
from revenge.compat.jellyfin.paths import middleware_paths as jellyfin_paths
from revenge.config import Settings
from revenge.events.runner import start_events
from revenge.infra.jobs.worker import Worker
from revenge.libraries.watcher import LibraryWatcher
from revenge.playback.node import playback_node
from revenge.routes import build_routers
from revenge.runtime import Runtime
from revenge.streaming.fast_routes import StreamFastPath
from revenge.web.routes import router as web_router

log = logging.getLogger(__name__)

# The server's metrics are its own (Prometheus, `/metrics`). FastAPI (0.165 on) otherwise asks
# OpenTelemetry's global providers whether anyone listens, on every request and in each layer
# of its handling: off, those checks stop at its own settings.
_NO_OPENTELEMETRY: dict[str, Any] = (
    {"telemetry": {"tracing": False, "metrics": False, "logs": False, "operation_spans": False}}
    if "telemetry" in inspect.signature(FastAPI.__init__).parameters
    else {}
)


def create_app(
    settings: Settings, *, run_worker: bool = True, runtime: Runtime | None = None
) -> FastAPI:
    """The HTTP application. Pass `runtime` to share one already built (tests, benches)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        rt = runtime or await Runtime.create(settings)
        app.state.runtime = rt
        app.state.metrics = rt.metrics
        stop_events = await start_events(rt, live=True)
        worker = Worker(rt) if run_worker else None
        if worker is not None:
            await worker.start()
        # Every node starts one; it watches only while the `scanning.realtime` setting is on
        # and the advisory lock lets exactly one of them watch.
        watcher = app.state.watcher = LibraryWatcher(rt)
        await watcher.start()
        playback = playback_node(rt)
        await playback.start()
        # Built now rather than by the first request, so that they are settled with the rest
        # of the start-up heap (`infra.heap.SettledOnStart`).
        prepare_routes(app.router.routes)
        configure_mappers()
        try:
            yield
        finally:
            await playback.stop()
            await watcher.stop()
            if worker is not None:
                await worker.stop()
            await stop_events()
            if runtime is None:
                await rt.close()

    app = FastAPI(
        title="Revenge",
        version=__version__,
        lifespan=lifespan,
        # Served by revenge.web from the package, so it works offline under the app's CSP.
        docs_url=None,
        swagger_ui_oauth2_redirect_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        **_NO_OPENTELEMETRY,
    )
    problems.install(app)
    openapi.install(app)
    for router in build_routers():
        app.include_router(router)
    # Last: the app's pages never take a path an API route answers.
    app.include_router(web_router)
    # Added first, so it runs inside the request guard (request id, metrics, errors).
    app.add_middleware(StreamFastPath)
    app.add_middleware(JellyfinPaths, paths=jellyfin_paths(), keep=WEB_APP_SEGMENTS)
    app.add_middleware(RequestGuardMiddleware, max_body_bytes=settings.server.max_body_bytes)
    return app
