"""The app served by uvicorn on a loopback port, in a thread with its own event loop.

For clients that are not asyncio (schemathesis uses `requests`), and so the app can carry a
test authenticator, which a `revenge serve` subprocess cannot.
"""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import TypeVar

import uvicorn

from revenge.app import create_app
from revenge.config import Settings
from revenge.identity.authenticator import Authenticator
from revenge.infra.eager_http import eager_protocol
from revenge.runtime import Runtime
from revenge.streaming.direct import eligible, over_uvicorn
from revenge.testing.services import free_port

T = TypeVar("T")


class LiveServer:
    def __init__(self, settings: Settings, authenticator: Authenticator | None = None) -> None:
        # Its own Redis key prefix: sign-in limits, breakers and cached totals of one test's server
        # must not carry over to the next test's (they share the run's Redis for an hour).
        cache = settings.cache.model_copy(update={"redis_prefix": f"live-{uuid.uuid4().hex[:8]}:"})
        self.settings = settings.model_copy(update={"cache": cache})
        self.authenticator = authenticator
        self.port = free_port()
        self._server: uvicorn.Server | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.runtime: Runtime | None = None
        self._thread = threading.Thread(target=self._run, name="live-server", daemon=True)
        self._error: BaseException | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + 30
        while not (self._server is not None and self._server.started):
            if self._error is not None or not self._thread.is_alive():
                raise RuntimeError("live server failed to start") from self._error
            if time.monotonic() > deadline:
                raise RuntimeError("live server did not start in 30 s")
            time.sleep(0.02)

    def call(self, work: Callable[[Runtime], Awaitable[T]], timeout: float = 30) -> T:
        """Run `work(runtime)` on the server's own event loop, where its pools belong."""
        assert self._loop is not None and self.runtime is not None, "server not started"
        runtime = self.runtime

        async def run() -> T:
            return await work(runtime)

        return asyncio.run_coroutine_threadsafe(run(), self._loop).result(timeout)

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        self._thread.join(timeout=30)

    def _run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:
            self._error = exc

    async def _serve(self) -> None:
        runtime = await Runtime.create(self.settings, apply_migrations=False)
        if self.authenticator is not None:
            runtime.authenticator = self.authenticator
        self._loop = asyncio.get_running_loop()
        self.runtime = runtime
        # As `revenge serve` runs it: eager stream requests, zero-copy sends, direct answers.
        app = over_uvicorn(create_app(self.settings, run_worker=False, runtime=runtime))
        config = uvicorn.Config(
            app,
            http=eager_protocol(eligible),
            host="127.0.0.1",
            port=self.port,
            log_config=None,
            lifespan="on",
        )
        self._server = uvicorn.Server(config)
        try:
            await self._server.serve()
        finally:
            await runtime.close()
