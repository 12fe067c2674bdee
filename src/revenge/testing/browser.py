"""Waiting for a page in Playwright to be done loading, for browser tests and benchmarks.

Playwright's "networkidle" never comes on the web app's pages: they keep the live event
stream (`/api/v1/events`) open for as long as they are shown.
"""

from __future__ import annotations

import time

from playwright.sync_api import Page, Request

LIVE_STREAM = "/api/v1/events"


class Quiet:
    """Counts a page's requests in flight, leaving out the live event stream."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.open: set[Request] = set()
        page.on("request", self._started)
        # Playwright wants Python functions as handlers, not bound builtins.
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)

    def _started(self, request: Request) -> None:
        if LIVE_STREAM not in request.url:
            self.open.add(request)

    def _ended(self, request: Request) -> None:
        self.open.discard(request)

    def wait(self, quiet_ms: int = 500, timeout_s: float = 30.0) -> None:
        """Return once no request has been in flight for `quiet_ms` (else TimeoutError)."""
        deadline = time.monotonic() + timeout_s
        quiet_since = time.monotonic()
        while time.monotonic() < deadline:
            self.page.wait_for_timeout(50)  # lets Playwright deliver the page's events
            if self.open:
                quiet_since = time.monotonic()
            elif (time.monotonic() - quiet_since) * 1000 >= quiet_ms:
                return
        raise TimeoutError(f"requests still in flight after {timeout_s} s: {len(self.open)}")
