"""Routers that turn away, with one set look-up, a request none of their routes can match.

FastAPI tries an app's routes one after another, and an included router's routes the same
way, each a regular expression plus some bookkeeping: measured at about 2 us a route, so a
Subsonic or Jellyfin request walked the ~180 native routes (twice: once to find the router,
once inside it) before reaching its own, ~0.4 ms a request. The native API, Subsonic and
Jellyfin share no first path segment (`api`/`health`/`metrics`, `rest`, `Items`/`Users`/...),
so each of these top-level routers declines at once a request whose first segment none of
its routes starts with.
"""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import APIRouter
from starlette.routing import BaseRoute, Match
from starlette.types import Scope


def route_paths(routes: Iterable[BaseRoute], prefix: str = "") -> Iterable[str | None]:
    """The full path of every route, through included routers; None for a route whose path
    cannot be known (then nothing may be declined)."""
    for route in routes:
        path = getattr(route, "path", None)
        inner = getattr(route, "original_router", None)
        if isinstance(path, str):
            yield prefix + path
        elif isinstance(inner, APIRouter):
            context = getattr(route, "include_context", None)
            yield from route_paths(inner.routes, prefix + str(getattr(context, "prefix", "")))
        else:
            yield None


def first_segments(paths: Iterable[str | None]) -> frozenset[str] | None:
    """The literal first segments of the paths; None when one is unknown or a parameter."""
    found: set[str] = set()
    for path in paths:
        if path is None:
            return None
        first = path.lstrip("/").split("/", 1)[0]
        if "{" in first:
            return None
        found.add(first)
    return frozenset(found)


def _first_segment(scope: Scope) -> str:
    path: str = scope.get("path", "")
    return path[1:].split("/", 1)[0]


class FirstSegmentRouter(APIRouter):
    """An APIRouter reached only by paths starting with one of its routes' first segments
    (read when it first matches, once every route is in place)."""

    _segments: frozenset[str] | bool | None = False

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if self._segments is False:
            self._segments = first_segments(route_paths(self.routes, self.prefix))
        segments = self._segments
        if isinstance(segments, frozenset) and _first_segment(scope) not in segments:
            return Match.NONE, {}
        return super().matches(scope)
