"""Administration in the browser: every page loads clean, scans run on screen, non-admins are
kept out (in the app and by the API)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from revenge.testing.browser import Quiet
from tests.web.admin.conftest import add_library, open_signed_in
from tests.web.conftest import ADMIN, ConsoleLog, WebServer

Shot = Callable[[Page, str], Path]


def test_every_admin_page_loads_without_console_errors(
    page: Page, web_server: WebServer, admin_token: str, music_library: dict[str, Any],
    screenshot: Shot,
) -> None:  # fmt: skip
    channel = web_server.api(
        "POST",
        "/api/v1/admin/notifications/channels",
        admin_token,
        json={"kind": "webhook", "name": f"hook {uuid.uuid4().hex[:4]}",
              "config": {"url": "https://hooks.example.org/revenge"}, "events": ["item.added"]},
    ).json()  # fmt: skip
    jobs = web_server.api(
        "GET", "/api/v1/admin/jobs", admin_token, params={"status": "completed"}
    ).json()["items"]
    assert jobs, "the scan left no finished job"
    user = web_server.api("GET", "/api/v1/users", admin_token).json()["items"][0]
    pages = {
        "admin": ("/admin", "Administration"),
        "admin-libraries": ("/admin/libraries", "Libraries"),
        "admin-library": (f"/admin/libraries/{music_library['id']}", music_library["name"]),
        "admin-users": ("/admin/users", "Users"),
        "admin-user": (f"/admin/users/{user['id']}", user["username"]),
        "admin-jobs": ("/admin/jobs?status=completed", "Jobs"),
        "admin-job": (f"/admin/jobs/{jobs[0]['id']}", f"Job #{jobs[0]['id']}"),
        "admin-activity": ("/admin/activity", "Activity"),
        "admin-settings": ("/admin/settings", "Server settings"),
        "admin-credentials": ("/admin/credentials", "Provider keys"),
        "admin-notifications": ("/admin/notifications", "Notifications"),
        "admin-channel": (f"/admin/notifications/{channel['id']}", channel["name"]),
        "account": ("/account", "Your account"),
        "playlists": ("/playlists", "Playlists and collections"),
    }
    open_signed_in(page, web_server, *ADMIN, "/admin")
    quiet = Quiet(page)
    for name, (path, title) in pages.items():
        page.goto(f"{web_server.url}{path}")
        expect(page.locator("main h1")).to_have_text(title)
        quiet.wait()
        expect(page.locator("main .error")).to_have_count(0)
        screenshot(page, name)
    # At phone width, in dark mode: nothing wider than the screen (tables scroll in their box).
    page.set_viewport_size({"width": 390, "height": 844})
    page.emulate_media(color_scheme="dark")
    for name in ("admin", "admin-library", "admin-jobs", "admin-settings", "account"):
        page.goto(f"{web_server.url}{pages[name][0]}")
        expect(page.locator("main h1")).to_have_text(pages[name][1])
        quiet.wait()
        wide = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert wide <= 0, f"{name} is {wide}px wider than a phone"
        screenshot(page, f"{name}-phone-dark")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.emulate_media(color_scheme="light")
    # Content the pages are for, not just their headings.
    page.goto(f"{web_server.url}/admin/settings")
    expect(page.get_by_label("maintenance.mode")).not_to_be_checked()
    page.goto(f"{web_server.url}/admin/credentials")
    expect(page.get_by_role("cell", name="The Movie Database")).to_be_visible()
    page.goto(f"{web_server.url}/admin/jobs?status=completed")
    expect(page.get_by_role("cell", name="libraries.scan").first).to_be_visible()


def test_scan_now_shows_progress_and_finishes(
    page: Page, web_server: WebServer, admin_token: str, screenshot: Shot
) -> None:
    library = add_library(web_server, admin_token, "movie", "movies", scan=False)
    # Progress follows the live event stream, signed in by header (never a token in the URL).
    with page.expect_request("**/api/v1/events") as stream:
        open_signed_in(page, web_server, *ADMIN, f"/admin/libraries/{library['id']}")
    assert stream.value.url == f"{web_server.url}/api/v1/events"
    assert stream.value.headers["authorization"].startswith("Bearer ")
    expect(page.get_by_text("never scanned")).to_be_visible()
    page.get_by_role("button", name="Scan now").click()
    expect(page.get_by_role("status")).to_contain_text("Scan queued")
    finished = page.locator(".scan-progress[data-status=completed]")
    expect(finished).to_be_visible(timeout=90_000)
    expect(finished).to_contain_text("2 added")
    screenshot(page, "admin-library-scanned")
    # The history is filled in when the scan ends, without a reload.
    history = page.locator("section", has_text="Scan history")
    expect(history.get_by_text("completed")).to_be_visible()
    movies = web_server.api("GET", "/api/v1/movies", admin_token).json()
    assert {m["title"] for m in movies["items"]} >= {"Big Buck Bunny", "Sintel"}


def test_a_non_admin_sees_no_administration_and_gets_no_admin_data(
    page: Page, web_server: WebServer, admin_token: str, console: ConsoleLog, screenshot: Shot
) -> None:
    username, password = web_server.add_user(admin_token)
    open_signed_in(page, web_server, username, password, "/")
    expect(page.get_by_role("link", name="Playlists")).to_be_visible()
    expect(page.get_by_role("link", name="Administration")).to_have_count(0)
    admin_calls: list[int] = []
    page.on(
        "response",
        lambda r: admin_calls.append(r.status) if "/api/v1/admin/" in r.url else None,
    )
    page.goto(f"{web_server.url}/admin/users")
    expect(page.locator("main h1")).to_have_text("Not allowed")
    expect(page.get_by_text(ADMIN[0], exact=True)).to_have_count(0)
    screenshot(page, "admin-refused")
    assert admin_calls == [], "the app asked for admin data for a non-admin"
    # And the API itself refuses, whatever a client asks.
    token = web_server.token(username, password)
    for path in (
        "/api/v1/users",
        "/api/v1/admin/jobs",
        "/api/v1/admin/settings",
        "/api/v1/admin/activity",
        "/api/v1/admin/credentials",
        "/api/v1/admin/credentials/providers",
        "/api/v1/admin/notifications/channels",
    ):
        resp = web_server.api("GET", path, token)
        assert resp.status_code == 403, (path, resp.status_code)
        assert resp.headers["content-type"].startswith("application/problem+json")
    # The same from inside the page (a script a non-admin could run gets nothing either).
    status = page.evaluate(
        """async () => {
            const api = await import('/static/js/api.js');
            try { await api.api('/api/v1/admin/settings'); return 200; }
            catch (error) { return error.status; }
        }"""
    )
    assert status == 403
    console.errors[:] = [e for e in console.errors if "403" not in e]
