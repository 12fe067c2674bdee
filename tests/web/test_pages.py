"""Every main page in Chromium: it renders without a console error (CSP violations included),
at desktop and phone width, and leaves a screenshot under test-output/screenshots."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.support.media import make_audio, make_video
from tests.web.conftest import ADMIN, ConsoleLog, WebServer, sign_in
from tests.web.test_golden_path import _library


def test_docs_work_offline_with_an_authorize_button(
    web_server: WebServer, page: Page, screenshot: Callable[..., Path]
) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    resp = page.goto(f"{web_server.url}/docs")
    assert resp is not None and "unsafe-inline" not in resp.headers["content-security-policy"]
    # The first request builds the OpenAPI document, which takes a while on a loaded machine.
    expect(page.get_by_role("button", name=re.compile("Authorize"))).to_be_visible(timeout=60_000)
    expect(page.get_by_role("link", name="/api/v1/search", exact=True)).to_be_visible()
    page.get_by_role("button", name="Authorize", exact=True).click()
    expect(page.get_by_role("heading", name="bearer (http, Bearer)")).to_be_visible()
    expect(page.get_by_role("heading", name="apiKey (apiKey)")).to_be_visible()
    screenshot(page, "docs")
    assert all(url.startswith(web_server.url) for url in requests), requests


def test_tv_audiobooks_and_search_pages_render(
    web_server: WebServer, admin_token: str, page: Page, screenshot: Callable[..., Path]
) -> None:
    tv = web_server.media / "pages" / "tv"
    for n in (1, 2):
        make_video(tv / "Night Watch" / "Season 01" / f"Night Watch S01E0{n}.mkv", seconds=1)
    books = web_server.media / "pages" / "books"
    make_audio(
        books / "Ann Author" / "Long Road" / "Long Road.m4b",
        seconds=4,
        tags={"title": "Long Road", "artist": "Ann Author", "album": "Long Road",
              "composer": "Ned Narrator"},
        chapters=[("Setting out", 0, 2), ("Arriving", 2, 4)],
    )  # fmt: skip
    _library(web_server, admin_token, "Shows", "tv", tv)
    _library(web_server, admin_token, "Books", "audiobook", books)
    sign_in(page, web_server, *ADMIN)

    page.get_by_role("link", name="TV", exact=True).click()
    page.get_by_role("link", name=re.compile("Night Watch")).click()
    expect(page.get_by_role("heading", name="Night Watch")).to_be_visible()
    expect(page.locator(".episodes li")).to_have_count(2)
    screenshot(page, "series")
    page.get_by_role("button", name=re.compile("Not watched")).first.click()
    expect(page.get_by_role("button", name=re.compile("^Watched")).first).to_be_visible()

    page.get_by_role("link", name="Audiobooks", exact=True).click()
    page.get_by_role("link", name=re.compile("Long Road")).click()
    expect(page.get_by_role("heading", name="Long Road")).to_be_visible()
    expect(page.locator(".chapters li")).to_have_count(2)
    screenshot(page, "audiobook")
    page.get_by_role("button", name="Play from Arriving").click()
    page.wait_for_function(
        "() => document.querySelector('#player audio')?.currentTime >= 2", timeout=30_000
    )
    expect(page.get_by_label("Chapter")).to_have_value("1")

    page.get_by_role("link", name="Movies", exact=True).click()
    expect(page.locator("main .toolbar .muted")).to_have_text(re.compile(r"^\d+ items?$"))
    expect(page.get_by_text("null", exact=True)).to_have_count(0)
    screenshot(page, "browse-movies")
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("link", name="Home", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("Recently added"))).not_to_have_count(0)
    screenshot(page, "home-phone")


def test_a_session_ended_elsewhere_signs_the_app_out_with_a_reason(
    web_server: WebServer, page: Page, console: ConsoleLog, screenshot: Callable[..., Path]
) -> None:
    admin = web_server.token(*ADMIN)
    name, password = web_server.add_user(admin)
    sign_in(page, web_server, name, password)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    # "Sign out everywhere" from another device ends this browser's session too.
    other = web_server.token(name, password)
    assert web_server.api("DELETE", "/api/v1/sessions", other).status_code in (200, 204)
    # The app learns it either from its live events (the revocation, at once) or from its
    # next request: a click on Movies, unless the page has already left for the sign-in page
    # (a locator's click would wait for a link that is gone).
    page.evaluate("document.querySelector('nav a[href=\"/movies\"]')?.click()")
    page.wait_for_url(re.compile(r"/login\?ended=1"))
    expect(page.get_by_text("signed out because your session ended")).to_be_visible()
    screenshot(page, "login-session-ended")
    # The server refused the old tokens (401s on the console): expected here.
    assert all("401" in e for e in console.errors), console.errors
    console.errors.clear()


def test_an_admin_edits_metadata_and_the_field_stays_locked(
    web_server: WebServer, admin_token: str, page: Page, screenshot: Callable[..., Path]
) -> None:
    movies = web_server.media / "pages" / "movies"
    make_video(movies / "Cosmos Laundromat (2015)" / "Cosmos Laundromat (2015).mp4", seconds=1)
    _library(web_server, admin_token, "Short films", "movie", movies)
    sign_in(page, web_server, *ADMIN)
    page.get_by_role("link", name="Movies", exact=True).click()
    page.get_by_role("link", name=re.compile("Cosmos Laundromat")).click()
    page.get_by_role("button", name="Edit metadata…").click()
    page.get_by_label("overview").fill("A sheep on an island meets a salesman.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("A sheep on an island meets a salesman.")).to_be_visible()
    page.get_by_role("button", name="Edit metadata…").click()
    expect(page.get_by_text("overview (locked)")).to_be_visible()
    screenshot(page, "movie-edit-metadata")
    movie_id = page.url.rsplit("/", 1)[1]
    movie = web_server.api("GET", f"/api/v1/movies/{movie_id}", admin_token).json()
    assert "overview" in movie["locked_fields"]
