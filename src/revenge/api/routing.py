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
routes flattened in FastAPI's own order in a tree of their literal leading segments, tries
only the routes whose literal segments the path starts with, and hands the one that matched
straight to FastAPI's route handling, as FastAPI's router would after its walk. (Grouped by
first segment alone, every native route shares `api`: `/api/v1/users/me`, near the end of
the list, was found after ~180 regular expressions, 42 us; among 9, 3 us.) The first route
that fully matches wins, as in FastAPI's walk; anything else (a method not allowed, no
match, a route kind other than a FastAPI route, a FastAPI without included-router contexts)
takes FastAPI's own path.
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


def _literal_prefix(path: str) -> list[str]:
    """The path's leading segments up to the first that holds a parameter or is empty: the
    part of every path it matches that is fixed."""
    prefix: list[str] = []
    for segment in path[1:].split("/"):
        if not segment or "{" in segment:
            break
        prefix.append(segment)
    return prefix


def _route_path(scope: Scope) -> str:
    """The path the routes match (the root path taken off, as Starlette's routes do)."""
    path: str = scope.get("path", "")
    root: str = scope.get("root_path", "")
    if root and path.startswith(root) and path[len(root) : len(root) + 1] in ("", "/"):
        path = path[len(root) :]
    return path


class _Node:
    """Routes whose literal prefix ends at this segment, and the segments that go on."""

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.own: list[int] = []
        self.candidates: list[Any] = []


class _RouteIndex:
    """One inclusion's route contexts in FastAPI's order, in a tree of their literal leading
    segments: the routes that can match a path are those stored on the tree's walk along the
    path's segments (no other's fixed segments agree with the path), kept per node in order."""

    def __init__(self, contexts: list[Any]) -> None:
        self.root = _Node()
        for order, context in enumerate(contexts):
            node = self.root
            for segment in _literal_prefix(context.path_format):
                node = node.children.setdefault(segment, _Node())
            node.own.append(order)
        self._fill(self.root, [], contexts)

    def _fill(self, node: _Node, above: list[int], contexts: list[Any]) -> None:
        orders = sorted(above + node.own)
        node.candidates = [contexts[i] for i in orders]
        for child in node.children.values():
            self._fill(child, orders, contexts)

    def candidates(self, segments: list[str]) -> list[Any]:
        """The routes that can match a path of these segments, in FastAPI's order."""
        node = self.root
        for segment in segments:
            child = node.children.get(segment)
            if child is None:
                break
            node = child
        return node.candidates


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
    """The inclusion's index, built the first time it is asked for (None: its routes are not
    all ones the direct path reproduces)."""
    found: tuple[_RouteIndex | None] | None = getattr(included, _INDEX_ATTR, None)
    if found is None:
        try:
            found = (_RouteIndex(list(_flat_contexts(included))),)
        except LookupError:
            found = (None,)
        setattr(included, _INDEX_ATTR, found)
    return found[0]


def prepare(routes: Iterable[BaseRoute]) -> None:
    """Build now, at start-up, what each first-segment router of an app (`routes`, the app's
    own) would build on its first request: its route index, and FastAPI's routes of each
    inclusion with their handlers and parameter models. Built before the heap is settled
    (`infra.heap`), these ~30,000 lasting objects stay out of every full collection; built
    by the first request, each full collection walked them."""
    for included in routes:
        router = getattr(included, "original_router", None)
        if isinstance(router, FirstSegmentRouter) and isinstance(included, _IncludedRouter):
            router.segments()
            if _DIRECT:
                _route_index(included)


class FirstSegmentRouter(APIRouter):
    """An APIRouter reached only by paths starting with one of its routes' first segments,
    that finds the route by that segment (both read when it first matches, once every route
    is in place)."""

    _segments: frozenset[str] | bool | None = False

    def segments(self) -> frozenset[str] | None:
        """The first segments of its routes (None: some route's may be anything)."""
        if self._segments is False:
            self._segments = first_segments(route_paths(self.routes, self.prefix))
        return None if isinstance(self._segments, bool) else self._segments

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        segments = self.segments()
        parts = _route_path(scope)[1:].split("/")
        if segments is not None and parts[0] not in segments:
            return Match.NONE, {}
        included, index = self._index(scope)
        if index is None:
            return super().matches(scope)
        partial = False
        for context in index.candidates(parts):
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
        return included, _route_index(included)
