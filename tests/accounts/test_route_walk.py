"""Every route not on the public list answers 401 without credentials (or with bad ones)."""

from __future__ import annotations

import re
import uuid

import httpx
from fastapi import FastAPI

from revenge.api.auth import PUBLIC_ROUTES, is_public

_PARAM = re.compile(r"{([^}:]+)(?::[^}]+)?}")


def protected_routes(app: FastAPI) -> list[tuple[str, str, str]]:
    """(method, template, concrete URL) of every route that needs credentials.

    The route table is read from the OpenAPI document, which lists every mounted route with
    its full path (nested routers included); no route here is hidden from it.
    """
    found = []
    for template, operations in app.openapi()["paths"].items():
        for method in operations:
            if is_public(method.upper(), template):
                continue
            url = _PARAM.sub(_fill, template)
            found.append((method.upper(), template, url))
    return found


def _fill(match: re.Match[str]) -> str:
    return str(uuid.uuid4()) if match.group(1).endswith("id") else "x"


async def test_every_non_public_route_answers_401_without_credentials(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    routes = protected_routes(app)
    assert len(routes) > 30  # the walk really covers the API
    for headers in (
        {},
        {"Authorization": "Bearer rvs_not-a-real-token"},
        {"X-Api-Key": "rvk_nope"},
    ):
        for method, template, url in routes:
            resp = await client.request(method, url, headers=headers, json={})
            assert resp.status_code == 401, (method, template, headers, resp.status_code)
            assert resp.headers["content-type"].startswith("application/problem+json")


def test_public_list_is_explicit_and_small() -> None:
    assert ("POST", "/api/v1/auth/login") in PUBLIC_ROUTES
    assert all(not path.startswith("/api/v1/users") for _, path in PUBLIC_ROUTES)
    assert all(not path.startswith("/api/v1/admin") for _, path in PUBLIC_ROUTES)
