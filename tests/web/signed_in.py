"""Opening a page of the app already signed in, for tests about what comes after sign-in."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.web.conftest import WebServer


def open_signed_in(page: Page, server: WebServer, username: str, password: str, path: str) -> None:
    """Sign this browser in through the app's own API module, then open `path`.

    The sign-in form is walked by the sign-in tests; here the app is as after a reload: the
    refresh cookie restores the session.
    """
    page.goto(f"{server.url}/login")
    page.evaluate(
        """async ([username, password]) => {
            const api = await import('/static/js/api.js');
            await api.login(username, password);
        }""",
        [username, password],
    )
    page.goto(f"{server.url}{path}")
    page.wait_for_selector("main h1")
