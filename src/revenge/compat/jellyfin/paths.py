"""Jellyfin paths matched without regard to case: `system/info/public` is `/System/Info/Public`.

Jellyfin's server matches routes case-insensitively and clients rely on it. Rather than make
every route's pattern case-insensitive, the path of a request whose first segment names a
Jellyfin route is rewritten to the routes' own spelling (a dictionary look-up per segment;
other requests cost one set look-up). A trailing slash is dropped, as Jellyfin ignores it.

Two first segments belong to both Jellyfin and the web app (`/search`, `/playlists`): a browser
opening the app's page there asks for HTML, which no Jellyfin client does, so a request in the
app's own lower-case spelling that accepts `text/html` is left alone for the app.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.types import ASGIApp, Receive, Scope, Send


def spellings(paths: Iterable[str]) -> tuple[frozenset[str], dict[str, str]]:
    """(lower-cased first segments, lower-cased literal segment -> the routes' spelling)."""
    roots: set[str] = set()
    words: dict[str, str] = {}
    for path in paths:
        parts = [p for p in path.split("/") if p]
        if parts:
            roots.add(parts[0].lower())
        for part in parts:
            if "{" not in part:
                words[part.lower()] = part
    return frozenset(roots), words


def _asks_for_html(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"accept":
            return b"text/html" in value
    return False


class JellyfinPaths:
    def __init__(self, app: ASGIApp, paths: Iterable[str], keep: Iterable[str] = ()) -> None:
        self.app = app
        self.roots, self.words = spellings(paths)
        # First segments (exact spelling) another part of the server answers for browsers.
        self.keep = frozenset(keep)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path: str = scope["path"]
            segment = path[1:].split("/", 1)[0]
            first = segment.lower()
            if first in self.roots and not (segment in self.keep and _asks_for_html(scope)):
                fixed = "/" + "/".join(
                    self.words.get(p.lower(), p) for p in path.strip("/").split("/")
                )
                if fixed != path:
                    scope = {**scope, "path": fixed, "raw_path": fixed.encode()}
        await self.app(scope, receive, send)


def middleware_paths() -> list[str]:
    from revenge.compat.jellyfin.routes import router

    return [getattr(r, "path", "") for r in router.routes]
