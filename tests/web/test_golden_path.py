"""The web app's golden path in Chromium, on a real `revenge serve` with generated media:
first run -> library -> scan finishes on screen -> typo search -> a movie plays (direct MP4 and
HLS from an MKV) -> its position is saved -> marked played; an album plays on to the next
track; signing out clears the cookie."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, expect

from revenge.testing.processes import wait_for
from tests.support.media import make_audio, make_video
from tests.web.conftest import ADMIN, WebServer, sign_in

SECONDS = 6


def _golden_media(server: WebServer) -> tuple[Path, Path]:
    movies = server.media / "golden" / "movies"
    make_video(movies / "Elephants Dream (2006)" / "Elephants Dream (2006).mp4", seconds=SECONDS)
    make_video(movies / "Tears of Steel (2012)" / "Tears of Steel (2012).mkv", seconds=SECONDS)
    music = server.media / "golden" / "music"
    for n, title in enumerate(["Dawn", "Noon", "Dusk"], start=1):
        make_audio(
            music / "Night Owls" / "Hours" / f"{n:02d} {title}.mp3",
            seconds=3,
            tags={"title": title, "artist": "Night Owls", "album": "Hours",
                  "album_artist": "Night Owls", "track": str(n), "date": "2021"},
        )  # fmt: skip
    return movies, music


def _state(server: WebServer, token: str, kind: str, item_id: str) -> dict[str, object]:
    resp = server.api("GET", f"/api/v1/items/{kind}/{item_id}/state", token)
    assert resp.status_code == 200, resp.text
    body: dict[str, object] = resp.json()
    return body


def _first_run(page: Page, server: WebServer, movies: Path, shot: Callable[..., Path]) -> None:
    page.goto(server.url)
    page.wait_for_url(re.compile(r"/setup$"))
    page.get_by_label("Username").fill(ADMIN[0])
    page.get_by_label("Password").fill(ADMIN[1])
    shot(page, "setup-admin")
    page.get_by_role("button", name="Create administrator").click()
    expect(page.get_by_role("heading", name="Add your first library")).to_be_visible()
    # The folder picker: open the media folder, then pick its movies folder.
    page.get_by_label("Folder", exact=True).fill(str(movies.parent))
    page.get_by_role("button", name="Browse").click()
    page.get_by_role("button", name=f"Use {movies}").click()
    expect(page.get_by_label("Folder", exact=True)).to_have_value(str(movies))
    shot(page, "setup-library")
    page.get_by_role("button", name="Add library and scan").click()
    expect(page.get_by_role("heading", name="Metadata keys (optional)")).to_be_visible()
    shot(page, "setup-keys")
    page.get_by_role("button", name="Finish").click()
    page.wait_for_url(re.compile(r"/$"))
    # The scan finishes on screen: its movies appear on the home page without a reload.
    expect(page.get_by_role("link", name=re.compile("Elephants Dream"))).to_be_visible(
        timeout=60_000
    )
    shot(page, "home")


def _wait_playing_past(page: Page, seconds: float) -> str:
    page.wait_for_function(
        f"() => {{ const m = document.querySelector('#player video, #player audio');"
        f" return m && m.currentTime > {seconds}; }}",
        timeout=60_000,
    )
    return str(page.locator("#player video").get_attribute("data-method"))


def test_first_run_to_playing_a_movie(
    fresh_server: WebServer, page: Page, context: BrowserContext, screenshot: Callable[..., Path]
) -> None:
    movies, _ = _golden_media(fresh_server)
    _first_run(page, fresh_server, movies, screenshot)
    token = fresh_server.token(*ADMIN)

    # A reload keeps the session: the refresh cookie brings a new access token.
    page.reload()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    # Search as you type, with a typo.
    page.get_by_label("Search everything").press_sequentially("elefants drem", delay=40)
    page.wait_for_url(re.compile(r"/search\?q="))
    result = page.locator(".search-group[data-kind=movie]").get_by_role(
        "link", name=re.compile("Elephants Dream")
    )
    expect(result).to_be_visible()
    screenshot(page, "search")
    result.click()
    expect(page.get_by_role("heading", name="Elephants Dream")).to_be_visible()
    screenshot(page, "movie")
    movie_id = page.url.rsplit("/", 1)[1]

    # Direct play of the MP4, past 2 s; the position is saved when paused.
    page.get_by_role("button", name="▶ Play").click()
    assert _wait_playing_past(page, 2.0) == "direct"
    screenshot(page, "player-video")
    with page.expect_response(lambda r: r.url.endswith("/state") and r.request.method == "PATCH"):
        page.evaluate("document.querySelector('#player video').pause()")
    state = _state(fresh_server, token, "movie", movie_id)
    assert float(str(state["position_seconds"])) > 1.5, state
    page.get_by_role("button", name="Mark played").click()
    expect(page.get_by_role("button", name="✓ Played")).to_be_visible()
    assert _state(fresh_server, token, "movie", movie_id)["played"] is True

    # The MKV plays through HLS (hls.js in Chromium), and the player stays while browsing.
    page.get_by_role("button", name="Stop and close the player").click()
    page.get_by_role("link", name="Movies", exact=True).click()
    page.get_by_role("link", name=re.compile("Tears of Steel")).click()
    page.get_by_role("button", name="▶ Play").click()
    method = _wait_playing_past(page, 2.0)
    assert method in ("remux", "transcode"), method
    screenshot(page, "player-hls")

    # Signing out clears the refresh cookie.
    page.get_by_role("button", name="Stop and close the player").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/login"))
    assert not [c for c in context.cookies() if c["name"] == "revenge_refresh"]
    screenshot(page, "login")


def _library(server: WebServer, token: str, name: str, kind: str, folder: Path) -> str:
    """A library made over the API, its first scan finished."""
    body = {"name": name, "type": kind, "paths": [str(folder)]}
    resp = server.api("POST", "/api/v1/libraries", token, json=body)
    assert resp.status_code == 201, resp.text
    library_id = str(resp.json()["id"])

    def scanned() -> bool:
        scans = server.api("GET", f"/api/v1/libraries/{library_id}/scans", token).json()
        return bool(scans) and scans[0]["status"] == "completed"

    wait_for(scanned, 60, f"scan of {name}")
    return library_id


def test_an_album_plays_on_to_the_next_track(
    web_server: WebServer, admin_token: str, page: Page, screenshot: Callable[..., Path]
) -> None:
    _, music = _golden_media(web_server)
    _library(web_server, admin_token, "Golden music", "music", music)
    sign_in(page, web_server, *ADMIN)
    page.get_by_role("link", name="Music", exact=True).click()
    album = page.get_by_role("link", name=re.compile("Hours"))
    expect(album).to_be_visible()
    screenshot(page, "browse-music")
    album.click()
    expect(page.get_by_role("heading", name="Hours")).to_be_visible()
    screenshot(page, "album")
    page.get_by_role("button", name="Play Noon").click()
    player = page.locator("#player")
    expect(player.get_by_text("2 / 3")).to_be_visible()
    screenshot(page, "player-audio")
    # Browsing on does not stop it, and when "Noon" ends, "Dusk" follows.
    page.get_by_role("link", name="Home", exact=True).click()
    expect(player.get_by_text("3 / 3")).to_be_visible(timeout=30_000)
    expect(player.locator(".now")).to_contain_text("Dusk")
    page.wait_for_function(
        "() => document.querySelector('#player audio').currentTime > 0.5", timeout=30_000
    )


def test_the_last_episode_of_a_season_plays_on_into_the_next_season(
    web_server: WebServer, admin_token: str, page: Page
) -> None:
    shows = web_server.media / "golden" / "shows"
    for season, number, title in ((1, 1, "Pilot"), (1, 2, "Fallout"), (2, 1, "Return")):
        name = f"Harbour Lights - S{season:02d}E{number:02d} - {title}.mp4"
        make_video(shows / "Harbour Lights" / f"Season {season}" / name, seconds=1)
    _library(web_server, admin_token, "Golden shows", "tv", shows)
    found = web_server.api("GET", "/api/v1/tv/series", admin_token, params={"limit": 200})
    (series,) = [s for s in found.json()["items"] if s["title"] == "Harbour Lights"]
    sign_in(page, web_server, *ADMIN)
    page.goto(f"{web_server.url}/tv/{series['id']}")
    page.get_by_role("button", name="Play Fallout").click()
    player = page.locator("#player")
    expect(player.locator(".now")).to_contain_text("Fallout")
    # The season's last episode ends, and the first of the next season follows.
    expect(player.locator(".now")).to_contain_text("Return", timeout=30_000)
    page.wait_for_function(
        "() => document.querySelector('#player video').currentTime > 0.2", timeout=30_000
    )
