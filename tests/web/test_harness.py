"""The browser harness itself: Chromium starts headless, reaches the live server, and a page's
console errors are caught (so a broken page cannot pass quietly)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page

from tests.web.conftest import ConsoleLog, WebServer


def test_chromium_reaches_the_live_server(
    page: Page, web_server: WebServer, screenshot: Callable[[Page, str], Path]
) -> None:
    page.goto(f"{web_server.url}/login")
    page.wait_for_selector("main h1")
    info = page.evaluate("() => fetch('/api/v1/system/info').then((r) => r.json())")
    assert info["setup_pending"] is False
    assert screenshot(page, "harness-login").stat().st_size > 0


def test_a_console_error_is_caught(page: Page, console: ConsoleLog) -> None:
    page.set_content("<p>hello</p>")
    page.evaluate("console.error('boom')")
    page.wait_for_timeout(50)
    assert any("boom" in e for e in console.errors)
    console.errors.clear()  # expected here; any other page's error fails its test
