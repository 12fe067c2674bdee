"""Account, playlist and administration tests: pages opened signed in, a scanned library."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from playwright.sync_api import Page

from revenge.testing.processes import wait_for
from tests.web.conftest import ADMIN, WebServer


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


def add_library(
    server: WebServer, token: str, kind: str, folder: str, scan: bool
) -> dict[str, Any]:
    """A library over one folder of the generated media (a unique name per call)."""
    resp = server.api(
        "POST",
        "/api/v1/libraries",
        token,
        json={"name": f"{folder} {uuid.uuid4().hex[:4]}", "type": kind,
              "paths": [str(server.media / folder)], "scan": scan},
    )  # fmt: skip
    assert resp.status_code == 201, resp.text
    return dict(resp.json())


@pytest.fixture(scope="session")
def music_library(web_server: WebServer) -> dict[str, Any]:
    """The album of the generated media, scanned to the end (with `album` and its `tracks`)."""
    token = web_server.token(*ADMIN)
    library = add_library(web_server, token, "music", "music", scan=True)
    found: dict[str, Any] = {}

    def scanned() -> bool:
        listed = web_server.api("GET", "/api/v1/music/albums", token).json().get("items", [])
        # The server is shared: another test's album (the golden path's) may be listed first.
        albums = [a for a in listed if a["library_id"] == library["id"]]
        if not albums:
            return False
        detail = web_server.api("GET", f"/api/v1/music/albums/{albums[0]['id']}", token).json()
        found.update(album=detail, tracks=detail["tracks"])
        return len(detail["tracks"]) == 3

    wait_for(scanned, 90, "the music library's first scan")
    return {**library, **found}
