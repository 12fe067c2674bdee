"""Routers that find a request's route with one look-up by first path segment.

FastAPI tries an app's routes one after another, and an included router's routes the same
way, each a regular expression plus some bookkeeping: measured at about 2 us a route, so a
Subsonic or Jellyfin request walked the ~180 native routes (twice: once to find the router,
once inside it) before reaching its own, ~0.4 ms a request. The native API, Subsonic and
Jellyfin share no first path segment (`api`/`health`/`metrics`, `rest`, `Items`/`Users`/...),
so each of these top-level routers declines at once a request whose first segment none of
its routes starts with.

Inside such a router FastAPI (0.165) walks again: every included router it holds is matched
by walking its routes, each walk first re-reading the version of every router below it (to
notice routes added late), and the router that matched is walked a second time to handle
the request. For `/health/live`, behind the search and content routers, that was about half
of the request's cost. So a `FirstSegmentRouter` also keeps, per inclusion in an app, its
routes flattened in FastAPI's own order and grouped by first segment, tries only the routes
that could match, and hands the one that matched straight to FastAPI's route handling, as
FastAPI's router would after its walk. The first route that fully matches wins, as in
FastAPI's walk; anything else (a method not allowed, no match, a route kind other than a
FastAPI route, a FastAPI without included-router contexts) takes FastAPI's own path.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from fastapi import APIRouter
from fastapi import routing as fastapi_routing
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute, Match
from starlette.types import Receive, Scope, Send

# FastAPI's included-router machinery (private; absent before 0.165, where an included
# router's routes were copied into the app and this router's matching never ran).
_included_router_of = getattr(fastapi_routing, "_get_scope_included_router", None)
_IncludedRouter: Any = getattr(fastapi_routing, "_IncludedRouter", None)
_fastapi_scope = getattr(fastapi_routing, "_get_fastapi_scope", None)
_update_scope = getattr(fastapi_routing, "_update_scope", None)
_route_selected = getattr(fastapi_routing, "_route_selected", None)
_CONTEXT_KEY: str | None = getattr(fastapi_routing, "_FASTAPI_EFFECTIVE_ROUTE_CONTEXT_KEY", None)
_DIRECT = None not in (
    _included_router_of,
    _IncludedRouter,
    _fastapi_scope,
    _update_scope,
    _route_selected,
    _CONTEXT_KEY,
)

# Where `matches` leaves the route it found for `handle` (popped there).
_CHOSEN = "revenge.chosen_route"
# Where an inclusion keeps its index (the inclusion object is FastAPI's and not hashable).
_INDEX_ATTR = "_revenge_route_index"


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
        segment = _literal_first_segment(path)
        if segment is None:
            return None
        found.add(segment)
    return frozenset(found)


def _literal_first_segment(path: str) -> str | None:
    first = path.lstrip("/").split("/", 1)[0]
    return None if "{" in first else first


def _first_segment(scope: Scope) -> str:
    """The first segment of the path the routes match (the root path taken off, as
    Starlette's routes do)."""
    path: str = scope.get("path", "")
    root: str = scope.get("root_path", "")
    if root and path.startswith(root) and path[len(root) : len(root) + 1] in ("", "/"):
        path = path[len(root) :]
    return path[1:].split("/", 1)[0]


class _RouteIndex:
    """One inclusion's route contexts in FastAPI's order, and per literal first segment the
    ones that can match a path starting with it (those starting with a parameter included)."""

    def __init__(self, contexts: list[Any]) -> None:
        segments = [_literal_first_segment(c.path_format) for c in contexts]
        self.anywhere = [c for c, s in zip(contexts, segments, strict=True) if s is None]
        self.by_segment = {
            literal: [c for c, s in zip(contexts, segments, strict=True) if s in (literal, None)]
            for literal in {s for s in segments if s is not None}
        }

    def candidates(self, segment: str) -> list[Any]:
        return self.by_segment.get(segment, self.anywhere)


def _flat_contexts(included: Any) -> Iterator[Any]:
    """The route contexts below an inclusion, depth first as FastAPI walks them; raises
    LookupError at anything the direct path does not reproduce."""
    for candidate in included.effective_candidates():
        if isinstance(candidate, _IncludedRouter):
            # FastAPI applies these per inclusion level on the way down.
            if candidate.include_context.form_limits:
                raise LookupError("form limits")
            yield from _flat_contexts(candidate)
        elif candidate.starlette_route is None and isinstance(candidate.original_route, APIRoute):
            yield candidate
        else:
            raise LookupError(type(candidate.original_route).__name__)


def _route_index(included: Any) -> _RouteIndex | None:
    try:
        return _RouteIndex(list(_flat_contexts(included)))
    except LookupError:
        return None


class FirstSegmentRouter(APIRouter):
    """An APIRouter reached only by paths starting with one of its routes' first segments,
    that finds the route by that segment (both read when it first matches, once every route
    is in place)."""

    _segments: frozenset[str] | bool | None = False

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if self._segments is False:
            self._segments = first_segments(route_paths(self.routes, self.prefix))
        segments = self._segments
        segment = _first_segment(scope)
        if isinstance(segments, frozenset) and segment not in segments:
            return Match.NONE, {}
        included, index = self._index(scope)
        if index is None:
            return super().matches(scope)
        partial = False
        for context in index.candidates(segment):
            match, child_scope = context.matches(scope)
            if match is Match.FULL:
                scope[_CHOSEN] = (included, context, child_scope)
                return Match.FULL, {}
            partial = partial or match is Match.PARTIAL
        # A path matched with another method: FastAPI's walk finds the route and answers 405.
        return (Match.PARTIAL if partial else Match.NONE), {}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        chosen = scope.pop(_CHOSEN, None)
        if (
            chosen is None
            or _included_router_of is None
            or chosen[0] is not _included_router_of(scope)
        ):
            await super().handle(scope, receive, send)
            return
        _, context, child_scope = chosen
        # What FastAPI's included router does with the route its walk selected.
        assert _update_scope is not None and _route_selected is not None
        assert _fastapi_scope is not None
        _update_scope(scope, child_scope)
        _route_selected(scope=scope, path=context.path_format, mount=False)
        _fastapi_scope(scope)[_CONTEXT_KEY] = context
        route: APIRoute = context.original_route
        scope["route"] = route
        await route.handle(scope, receive, send)

    def _index(self, scope: Scope) -> tuple[Any, _RouteIndex | None]:
        """The inclusion being matched and its index (built on its first request)."""
        if not _DIRECT:
            return None, None
        assert _included_router_of is not None
        included = _included_router_of(scope)
        if not isinstance(included, _IncludedRouter) or included.original_router is not self:
            return None, None
        found: tuple[_RouteIndex | None] | None = getattr(included, _INDEX_ATTR, None)
        if found is None:
            found = (_route_index(included),)
            setattr(included, _INDEX_ATTR, found)
        return included, found[0]
