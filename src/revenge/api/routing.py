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

The route found is then handled by FastAPI, unless it reads nothing FastAPI would read for it
(the lists and search: only the request, with the router's checks on the request): those
are run directly (`_direct_of`), sparing FastAPI's per-request handling.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter
from fastapi import routing as fastapi_routing
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response
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
    own) would build on its first request: its route index, which routes run directly, and
    FastAPI's routes of each inclusion with their handlers and parameter models. Built before
    the heap is settled (`infra.heap`), these ~30,000 lasting objects stay out of every full
    collection; built by the first request, each full collection walked them."""
    for included in routes:
        router = getattr(included, "original_router", None)
        if isinstance(router, FirstSegmentRouter) and isinstance(included, _IncludedRouter):
            router.segments()
            if _DIRECT and _route_index(included) is not None:
                for context in included.effective_route_contexts():
                    _direct_of(context)


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
        direct = _direct_of(context)
        if direct is None or _overridden(scope):
            await route.handle(scope, receive, send)
            return
        request = Request(scope, receive, send)
        for check in direct.checks:
            await check(request)
        response = await direct.endpoint(request)
        await response(scope, receive, send)

    def _index(self, scope: Scope) -> tuple[Any, _RouteIndex | None]:
        """The inclusion being matched and its index (built on its first request)."""
        if not _DIRECT:
            return None, None
        assert _included_router_of is not None
        included = _included_router_of(scope)
        if not isinstance(included, _IncludedRouter) or included.original_router is not self:
            return None, None
        return included, _route_index(included)


@dataclass(frozen=True, slots=True)
class _Direct:
    """A route FastAPI would run as: each check on the request, then the route function on
    it; its answer a `Response`, sent as it is."""

    checks: tuple[Callable[[Request], Awaitable[None]], ...]
    endpoint: Callable[[Request], Awaitable[Response]]


# Where a route context keeps what `_direct_of` found for it (None: FastAPI runs it).
_DIRECT_ATTR = "_revenge_direct"
# Only reads are run directly: nothing of a body to read or limit.
_READS = frozenset({"GET", "HEAD"})


def _direct_of(context: Any) -> _Direct | None:
    """The route run directly, or None for FastAPI's handling.

    A route that takes only the request and answers a `Response`, whose dependencies each
    take only the request and return nothing, needs nothing FastAPI's handling does: no
    parameter to read, no body, no dependency to close, no answer to validate or write.
    That handling cost ~0.1 ms a request, most of it solving the one router-wide dependency
    (`routes.guard`) and building its per-request closures. Exceptions reach the app's
    exception middleware either way, which answers them with the same handlers."""
    found: tuple[_Direct | None] | None = getattr(context, _DIRECT_ATTR, None)
    if found is None:
        found = (_directly(context),)
        setattr(context, _DIRECT_ATTR, found)
    return found[0]


def _directly(context: Any) -> _Direct | None:
    dependant: Dependant | None = context.dependant
    if dependant is None or not context.methods <= _READS:
        return None
    endpoint = _only_the_request(dependant)
    if endpoint is None or not _answers_a_response(endpoint):
        return None
    checks = []
    for sub in dependant.dependencies:
        check = _only_the_request(sub)
        if check is None or sub.dependencies or _returned(check) is not None:
            return None
        checks.append(check)
    return _Direct(tuple(checks), endpoint)


def _only_the_request(dependant: Dependant) -> Callable[[Request], Awaitable[Any]] | None:
    """The dependant's function when it is a coroutine function of the request alone."""
    call = dependant.call
    if call is None or not inspect.iscoroutinefunction(call):
        return None
    if dependant.request_param_name is None or len(inspect.signature(call).parameters) != 1:
        return None
    reads_more = (
        dependant.path_params or dependant.query_params or dependant.header_params
        or dependant.cookie_params or dependant.body_params or dependant.own_oauth_scopes
        or dependant.websocket_param_name or dependant.http_connection_param_name
        or dependant.response_param_name or dependant.background_tasks_param_name
        or dependant.security_scopes_param_name
    )  # fmt: skip
    return None if reads_more else call


def _returned(call: Callable[..., Any]) -> Any:
    return inspect.signature(call, eval_str=True).return_annotation


def _answers_a_response(call: Callable[..., Any]) -> bool:
    answers = _returned(call)
    return isinstance(answers, type) and issubclass(answers, Response)


def _overridden(scope: Scope) -> bool:
    """Whether the app replaces some dependency (`app.dependency_overrides`, in tests): then
    FastAPI's handling, which applies them, runs every route."""
    app = scope.get("app")
    return bool(getattr(app, "dependency_overrides", None))
