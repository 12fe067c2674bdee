"""The first-segment routers pick, for every route's path and method, the route FastAPI's own
walk picks, and answer as before where none fully matches."""

from __future__ import annotations

import re
from typing import Any

import pytest

from revenge.api.routing import FirstSegmentRouter
from revenge.app import create_app
from revenge.config import Settings


def _sample(template: str) -> str:
    path = re.sub(r"\{[^}:]+:path\}", "a/b", template)
    path = re.sub(r"\{[^}]+:int\}", "7", path)
    return re.sub(r"\{[^}]+\}", "00000000-0000-0000-0000-000000000007", path)


def _scope(path: str, method: str) -> dict[str, Any]:
    return {
        "type": "http",
        "method": method,
        "path": path,
        "root_path": "",
        "query_string": b"",
        "headers": [],
    }


def _walk(included: Any, scope: dict[str, Any]) -> tuple[Any, Any]:
    """FastAPI's own answer: the match and the route context its walk selects, down through
    the included routers."""
    while True:
        scope.setdefault("fastapi", {})["included_router"] = included
        match, _, route, context = included._match(scope)
        if context is not None or route is None or not hasattr(route, "_match"):
            return match, context
        included = route


def _direct(included: Any, scope: dict[str, Any]) -> tuple[Any, Any]:
    match, _ = included.matches(scope)
    chosen = scope.pop("revenge.chosen_route", None)
    return match, chosen[1] if chosen else None


def test_every_route_is_found_as_fastapi_finds_it(settings: Settings) -> None:
    app = create_app(settings, run_worker=False)
    inclusions = [
        r
        for r in app.router.routes
        if isinstance(getattr(r, "original_router", None), FirstSegmentRouter)
    ]
    assert len(inclusions) == 3
    checked = 0
    for included in inclusions:
        for context in included.effective_route_contexts():
            path = _sample(context.path_format)
            for method in [*sorted(context.methods), "TRACE"]:
                walked = _walk(included, _scope(path, method))
                direct = _direct(included, _scope(path, method))
                assert direct[0] == walked[0], (method, path)
                if walked[0].name == "FULL":
                    assert direct[1] is walked[1], (method, path)
                checked += 1
    assert checked > 500


@pytest.mark.parametrize("path", ["/nowhere", "/api/v1/nothing-here", "/", "/rest"])
def test_unknown_paths_match_nothing(settings: Settings, path: str) -> None:
    app = create_app(settings, run_worker=False)
    for included in app.router.routes:
        if isinstance(getattr(included, "original_router", None), FirstSegmentRouter):
            assert (
                _direct(included, _scope(path, "GET"))[0] == _walk(included, _scope(path, "GET"))[0]
            )


def test_a_path_tries_only_the_routes_whose_fixed_segments_it_starts_with(
    settings: Settings,
) -> None:
    """Every native route starts with `api`: a path deep in the list is still found among
    a handful, not after a walk of them all."""
    from revenge.api.routing import _route_index

    app = create_app(settings, run_worker=False)
    native = next(
        r
        for r in app.router.routes
        if isinstance(getattr(r, "original_router", None), FirstSegmentRouter)
    )
    index = _route_index(native)
    assert index is not None
    everything = list(native.effective_route_contexts())
    tried = index.candidates(["api", "v1", "users", "me"])
    assert len(everything) > 150
    assert 0 < len(tried) < 15
    assert all(c.path_format.startswith(("/api/v1/users", "/api/v1/{")) for c in tried)
    assert _direct(native, _scope("/api/v1/users/me", "GET"))[1] in tried
