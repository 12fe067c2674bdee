"""Playlists in the browser: add from a page with the shared widget, reorder by dragging and by
keyboard, remove; the server keeps exactly the order on screen."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tests.web.admin.conftest import open_signed_in
from tests.web.conftest import WebServer

Shot = Callable[[Page, str], Path]


def _mount_widget(page: Page, track: dict[str, Any]) -> None:
    """Put the add-to-playlist button on the page, as a details page does."""
    page.evaluate(
        """async (track) => {
            const { addToPlaylistButton } = await import('/static/js/playlist-add.js');
            document.querySelectorAll('button.add-to-playlist').forEach((b) => b.remove());
            document.querySelector('main').append(
                addToPlaylistButton({ type: 'track', id: track.id, title: track.title }));
        }""",
        track,
    )


def _order(server: WebServer, token: str, playlist_id: str) -> list[str]:
    detail = server.api("GET", f"/api/v1/playlists/audio/{playlist_id}", token).json()
    return [entry["title"] for entry in detail["items"]]


def test_add_to_a_playlist_then_reorder_by_dragging_and_keyboard(
    page: Page, web_server: WebServer, admin_token: str, music_library: dict[str, Any],
    screenshot: Shot,
) -> None:  # fmt: skip
    username, password = web_server.add_user(admin_token)
    token = web_server.token(username, password)
    album = music_library["album"]
    tracks = music_library["tracks"]
    assert [t["title"] for t in tracks] == ["Opening", "Middle", "Ending"]
    open_signed_in(page, web_server, username, password, f"/music/albums/{album['id']}")

    name = f"Road trip {uuid.uuid4().hex[:4]}"
    _mount_widget(page, tracks[0])
    page.get_by_role("button", name="Add to playlist").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("New playlist").fill(name)
    dialog.get_by_role("button", name="Create and add").click()
    expect(dialog.get_by_role("status")).to_have_text(f"Added to {name}.")
    screenshot(page, "add-to-playlist")
    dialog.get_by_role("button", name="Close").click()
    for track in tracks[1:]:
        _mount_widget(page, track)
        page.get_by_role("button", name="Add to playlist").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_role("button", name=name).click()
        expect(dialog.get_by_role("status")).to_have_text(f"Added to {name}.")
        dialog.get_by_role("button", name="Close").click()

    page.goto(f"{web_server.url}/playlists")
    page.get_by_role("link", name=name).click()
    expect(page.locator("main h1")).to_have_text(name)
    rows = page.locator("li.reorder-row")
    expect(rows).to_have_count(3)
    playlist_id = page.url.rsplit("/", 1)[-1]

    # Drag the last track onto the first: it goes first.
    rows.filter(has_text="Ending").drag_to(rows.filter(has_text="Opening"))
    expect(rows.first).to_contain_text("Ending")
    expect(page.get_by_role("status").last).to_contain_text("moved to position 1")
    assert _order(web_server, token, playlist_id) == ["Ending", "Opening", "Middle"]

    # By keyboard: Alt+Up on the focused row moves it up one place.
    rows.filter(has_text="Middle").focus()
    page.keyboard.press("Alt+ArrowUp")
    expect(rows.nth(1)).to_contain_text("Middle")
    expect(page.get_by_role("status").last).to_contain_text("moved to position 2")
    assert _order(web_server, token, playlist_id) == ["Ending", "Middle", "Opening"]

    page.get_by_role("button", name="Remove Opening").click()
    expect(rows).to_have_count(2)
    page.reload()
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Ending")
    assert _order(web_server, token, playlist_id) == ["Ending", "Middle"]
    screenshot(page, "playlist")
