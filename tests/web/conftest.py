"""Browser tests: a real `revenge serve` on loopback, driven by Debian's Chromium via Playwright.

Playwright cannot download its own browser here, so it is pointed at the system Chromium
(`scripts/check` installs it). A missing browser is an error, never a skip: the web app would
otherwise go untested without anyone noticing.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, sync_playwright

from revenge.testing.processes import REPO_ROOT, revenge_env, start_revenge, wait_for
from revenge.testing.services import free_port, fresh_database
from tests.support.media import make_audio, make_video

CHROMIUM = Path(os.environ.get("REVENGE_CHROMIUM", "/usr/bin/chromium"))
OUTPUT = REPO_ROOT / "test-output"
SCREENSHOTS = OUTPUT / "screenshots"
ADMIN = ("admin", "admin-password-1")


@dataclass
class WebServer:
    """A running `revenge serve` (with its job worker) and a folder of media it may read."""

    url: str
    proc: subprocess.Popen[bytes]
    log: Path
    media: Path
    http: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        self.http = httpx.Client(base_url=self.url, timeout=30)

    def api(self, method: str, path: str, token: str | None = None, **kw: Any) -> httpx.Response:
        """One native API call, with a bearer token when given."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.http.request(method, path, headers=headers, **kw)

    def token(self, username: str, password: str) -> str:
        body = {"username": username, "password": password}
        resp = self.api("POST", "/api/v1/auth/login", json=body)
        assert resp.status_code == 200, resp.text
        return str(resp.json()["access_token"])

    def setup_admin(self) -> str:
        """Create the first administrator (first run done over HTTP); returns its token."""
        resp = self.api("POST", "/api/v1/setup", json={"username": ADMIN[0], "password": ADMIN[1]})
        assert resp.status_code == 201, resp.text
        return self.token(*ADMIN)

    def add_user(self, admin_token: str, role: str = "user") -> tuple[str, str]:
        """A new account (unique name); returns (username, password)."""
        name, password = f"user{uuid.uuid4().hex[:8]}", "user-password-1"
        resp = self.api(
            "POST",
            "/api/v1/users",
            admin_token,
            json={"username": name, "password": password, "role": role},
        )
        assert resp.status_code == 201, resp.text
        return name, password


def make_media(root: Path) -> Path:
    """A small real library tree: two movies and an album, made with PyAV."""
    make_video(root / "movies" / "Big Buck Bunny (2008)" / "Big Buck Bunny (2008).mp4", seconds=1)
    make_video(root / "movies" / "Sintel (2010)" / "Sintel (2010).mkv", seconds=1)
    for n, title in enumerate(["Opening", "Middle", "Ending"], start=1):
        make_audio(
            root / "music" / "The Band" / "First Album" / f"{n:02d} {title}.mp3",
            tags={
                "title": title,
                "artist": "The Band",
                "album": "First Album",
                "album_artist": "The Band",
                "track": str(n),
                "date": "2020",
            },
        )
    return root


def _ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health/ready", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@contextmanager
def serve(pg_server_url: str, redis_url: str, root: Path) -> Iterator[WebServer]:
    """`revenge serve` over its own new database; it migrates it on start."""
    root.mkdir(parents=True, exist_ok=True)
    media = make_media(root / "media")
    with fresh_database(pg_server_url, prefix="revenge_web") as database_url:
        port = free_port()
        env = revenge_env(
            REVENGE_DATABASE_URL=database_url,
            REVENGE_REDIS_URL=redis_url,
            REVENGE_DATA_DIR=str(root / "data"),
            REVENGE_CACHE__REDIS_PREFIX=f"revenge-web-{uuid.uuid4().hex[:8]}:",
            REVENGE_SCANNING__SETTLE_SECONDS="0",
        )
        log = root / "serve.log"
        proc = start_revenge(["serve", "--port", str(port)], env, log)
        server = WebServer(url=f"http://127.0.0.1:{port}", proc=proc, log=log, media=media)
        try:
            wait_for(
                lambda: proc.poll() is not None or _ready(server.url), 120, "revenge serve ready"
            )
            assert proc.poll() is None, f"revenge serve exited:\n{log.read_text()[-4000:]}"
            yield server
        finally:
            server.http.close()
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture(scope="session")
def web_server(
    pg_server_url: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WebServer]:
    """One server for the session with its administrator created (see `ADMIN`).

    Tests share it, so each one makes its own users, libraries and playlists by unique name.
    """
    with serve(pg_server_url, redis_url, tmp_path_factory.mktemp("web")) as server:
        server.setup_admin()
        yield server


@pytest.fixture
def fresh_server(pg_server_url: str, redis_url: str, tmp_path: Path) -> Iterator[WebServer]:
    """A server of its own, still waiting for first-run setup (no user exists)."""
    with serve(pg_server_url, redis_url, tmp_path / "web") as server:
        yield server


@pytest.fixture
def admin_token(web_server: WebServer) -> str:
    return web_server.token(*ADMIN)


# Per module: while Playwright's sync API runs, an event loop is running in this thread, and
# the async HTTP tests that follow in the same session could not start theirs.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"no Chromium at {CHROMIUM}: run scripts/check (installs Debian's chromium as root)"
            " or `apt-get install -y chromium`, or set REVENGE_CHROMIUM"
        )
    with sync_playwright() as pw:
        # No user namespaces as root in a container: Chromium's own sandbox cannot start.
        args = ["--no-sandbox"] if os.geteuid() == 0 else []
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=args)
        yield chromium
        chromium.close()


@dataclass
class ConsoleLog:
    """What the page said on its console and threw, so a test fails on any error."""

    errors: list[str] = field(default_factory=list)

    def on_console(self, msg: ConsoleMessage) -> None:
        if msg.type == "error":
            where = msg.location.get("url", "")
            self.errors.append(f"console.error: {msg.text} ({where})")

    def on_page_error(self, error: Exception) -> None:
        self.errors.append(f"uncaught: {error}")


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


@pytest.fixture
def console() -> ConsoleLog:
    return ConsoleLog()


@pytest.fixture
def page(context: BrowserContext, console: ConsoleLog) -> Iterator[Page]:
    """A tab whose console errors and uncaught exceptions fail the test at its end.

    A test that expects an error (a 403 it provokes, say) clears `console.errors` itself.
    """
    tab = context.new_page()
    tab.on("console", console.on_console)
    tab.on("pageerror", console.on_page_error)
    yield tab
    errors = list(console.errors)
    tab.close()
    assert not errors, "the page logged errors:\n" + "\n".join(errors)


@pytest.fixture
def new_page(context: BrowserContext, console: ConsoleLog) -> Callable[[], Page]:
    """More tabs in the same browser profile (their errors land in the same `console`)."""

    def make() -> Page:
        tab = context.new_page()
        tab.on("console", console.on_console)
        tab.on("pageerror", console.on_page_error)
        return tab

    return make


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def screenshot(screenshots_dir: Path) -> Callable[[Page, str], Path]:
    """`screenshot(page, "admin-jobs")` keeps test-output/screenshots/admin-jobs.png."""

    def take(tab: Page, name: str) -> Path:
        path = screenshots_dir / f"{name}.png"
        tab.screenshot(path=str(path), full_page=True)
        return path

    return take


def sign_in(page: Page, server: WebServer, username: str, password: str) -> None:
    """Sign in through the app's own form, as a person would, and wait for the app shell."""
    page.goto(f"{server.url}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def chromium_path() -> str:
    """For the bench: the same browser, by the same rule."""
    found = str(CHROMIUM) if CHROMIUM.exists() else shutil.which("chromium")
    if not found:
        raise RuntimeError("no Chromium: apt-get install -y chromium")
    return found
