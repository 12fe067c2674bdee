"""Routes that take only the request are run without FastAPI's request handling
(`api.routing._direct_of`): every answer, refusals included, is the one FastAPI's handling
gives, and each check the router adds (sign-in, maintenance mode) still runs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from fastapi import FastAPI

from revenge.api import routing
from revenge.api.routing import FirstSegmentRouter
from revenge.runtime import Runtime
from revenge.testing.seed import add_library, add_movie
from tests.browse.conftest import AS_ADMIN, AS_USER

LISTS = ["/api/v1/movies", "/api/v1/tv/series", "/api/v1/music/artists", "/api/v1/podcasts"]
ASKED = [
    (path, query, headers)
    for path in [*LISTS, "/api/v1/search"]
    for query, headers in [
        ({"q": "matrix"} if path.endswith("search") else {"limit": "1"}, AS_ADMIN),
        ({"q": "matrix"} if path.endswith("search") else {}, {}),  # not signed in
        ({"q": "matrix", "limit": "0"}, AS_USER),  # a bad value
        ({"q": "matrix", "sort": "nonsense"}, AS_USER),
        ({"q": "matrix", "typo": "1"}, AS_USER),  # an unknown key
        ({"q": "matrix", "cursor": "x", "offset": "3"}, AS_USER),
    ]
]


def _contexts(app: FastAPI) -> Iterator[Any]:
    for included in app.router.routes:
        if isinstance(getattr(included, "original_router", None), FirstSegmentRouter):
            yield from included.effective_route_contexts()


@contextmanager
def _through_fastapi(app: FastAPI) -> Iterator[None]:
    """FastAPI's own handling for every route: it runs whenever a dependency is overridden."""
    app.dependency_overrides[_never_called] = _never_called
    try:
        yield
    finally:
        app.dependency_overrides.clear()


def _never_called() -> None:
    raise AssertionError("not a dependency of any route")


async def _answers(api: httpx.AsyncClient) -> list[tuple[int, str, bytes, str | None]]:
    found = []
    for path, query, headers in ASKED:
        r = await api.get(path, params=query, headers=headers)
        found.append(
            (r.status_code, r.headers["content-type"], r.content, r.headers.get("www-authenticate"))
        )
    return found


def test_the_lists_and_search_are_run_directly_and_nothing_that_writes(app: FastAPI) -> None:
    direct = {c.path_format for c in _contexts(app) if routing._direct_of(c) is not None}
    assert direct == {*LISTS, "/api/v1/search"}
    for context in _contexts(app):
        if routing._direct_of(context) is not None:
            assert context.methods <= {"GET", "HEAD"}


async def test_every_answer_is_fastapis_own(
    api: httpx.AsyncClient, app: FastAPI, clean_runtime: Runtime
) -> None:
    library = await add_library(clean_runtime, "movie")
    for n in range(3):
        await add_movie(clean_runtime, library, f"The Matrix {n}", year=1999 + n)
    direct = await _answers(api)
    with _through_fastapi(app):
        handled = await _answers(api)
    assert direct == handled
    statuses = [status for status, *_ in direct]
    assert statuses.count(200) == 5
    assert statuses.count(401) == 5
    assert all(400 <= s < 500 for s in statuses if s != 200)
    assert all(kind == "application/problem+json" for status, kind, *_ in direct if status != 200)


async def test_maintenance_mode_still_keeps_users_out(api: httpx.AsyncClient) -> None:
    setting = "/api/v1/admin/settings/maintenance.mode"
    assert (await api.put(setting, json={"value": True}, headers=AS_ADMIN)).status_code == 200
    try:
        for path in LISTS:
            blocked = await api.get(path, headers=AS_USER)
            assert blocked.status_code == 503 and blocked.json()["maintenance"] is True
            assert (await api.get(path, headers=AS_ADMIN)).status_code == 200
    finally:
        await api.put(setting, json={"value": False}, headers=AS_ADMIN)
