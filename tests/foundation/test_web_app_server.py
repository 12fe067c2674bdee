"""The web app's server side over HTTP: pages, files, /docs, and the browser sign-in cookies."""

from __future__ import annotations

import re

import httpx
from fastapi import FastAPI

PASSWORD = "correct horse battery"


async def _admin(client: httpx.AsyncClient) -> None:
    resp = await client.post("/api/v1/setup", json={"username": "ada", "password": PASSWORD})
    assert resp.status_code == 201, resp.text


async def _browser_login(client: httpx.AsyncClient) -> httpx.Response:
    await _admin(client)
    return await client.post(
        "/api/v1/auth/browser/login",
        json={"username": "ada", "password": PASSWORD},
        headers={"Origin": "http://testserver"},
    )


def _set_cookies(resp: httpx.Response) -> dict[str, str]:
    return {h.split("=", 1)[0]: h for h in resp.headers.get_list("set-cookie")}


async def test_the_app_page_answers_its_own_paths_with_a_strict_csp(
    client: httpx.AsyncClient,
) -> None:
    for path in ("/", "/movies", "/movies/12", "/admin/jobs", "/music/albums/x", "/login"):
        resp = await client.get(path)
        assert resp.status_code == 200, path
        assert resp.headers["content-type"].startswith("text/html")
        assert '<script type="module" src="/static/js/app.js">' in resp.text
        csp = resp.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
    # No inline script: every <script> loads a file.
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", resp.text))


async def test_the_app_never_shadows_api_or_client_protocol_paths(
    client: httpx.AsyncClient,
) -> None:
    api = await client.get("/api/v1/nothing-here")
    assert api.status_code in (401, 404)
    assert api.headers["content-type"].startswith("application/problem+json")
    for path in ("/System/Info", "/Users/x", "/Items/y", "/rest/ping.view", "/Movies", "/nope"):
        resp = await client.get(path)
        assert not resp.headers.get("content-type", "").startswith("text/html"), path
    assert (await client.get("/openapi.json")).headers["content-type"] == "application/json"


async def test_app_pages_sharing_a_first_segment_with_jellyfin_open_in_a_browser(
    client: httpx.AsyncClient,
) -> None:
    html = {"Accept": "text/html,application/xhtml+xml"}
    for path in ("/search", "/playlists", "/playlists/abc"):
        resp = await client.get(path, headers=html)
        assert resp.status_code == 200, path
        assert resp.headers["content-type"].startswith("text/html"), path
    # A Jellyfin client asking for JSON in any spelling still reaches the Jellyfin route.
    for path in ("/search/hints?SearchTerm=x", "/Search/Hints?SearchTerm=x"):
        resp = await client.get(path, headers={"Accept": "application/json"})
        assert resp.status_code == 401, path


async def test_static_files_are_served_and_confined(client: httpx.AsyncClient) -> None:
    script = await client.get("/static/js/app.js")
    assert script.status_code == 200
    assert "javascript" in script.headers["content-type"]
    assert script.headers["cache-control"] == "no-cache"
    vendor = await client.get("/static/vendor/hls-1.7.4.min.mjs")
    assert vendor.status_code == 200 and "immutable" in vendor.headers["cache-control"]
    for path in ("/static/missing.js", "/static/../__init__.py", "/static/%2e%2e/routes.py"):
        assert (await client.get(path)).status_code == 404, path


async def test_docs_work_offline_under_the_csp_with_an_authorize_button(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    docs = await client.get("/docs")
    assert docs.status_code == 200
    assert "unsafe-inline" not in docs.headers["content-security-policy"]
    sources = re.findall(r'(?:src|href)="([^"]+)"', docs.text)
    assert sources and all(s.startswith("/static/") for s in sources)  # nothing from a CDN
    for source in sources:
        assert (await client.get(source)).status_code == 200, source
    assert "<script>" not in docs.text
    schema = (await client.get("/openapi.json")).json()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["bearer"] == {**schemes["bearer"], "type": "http", "scheme": "bearer"}
    assert schemes["apiKey"]["name"] == "X-Api-Key"
    assert {"bearer": []} in schema["security"]
    login = schema["paths"]["/api/v1/auth/login"]["post"]
    assert {} in login["security"]  # public routes need no credentials


async def test_browser_sign_in_keeps_the_refresh_token_in_an_httponly_cookie(
    client: httpx.AsyncClient,
) -> None:
    resp = await _browser_login(client)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert "refresh_token" not in body and body["user"]["username"] == "ada"
    cookies = _set_cookies(resp)
    refresh = cookies["revenge_refresh"].lower()
    assert "httponly" in refresh and "samesite=strict" in refresh
    assert "path=/api/v1/auth/browser" in refresh and "secure" not in refresh
    csrf = cookies["revenge_csrf"].lower()
    assert "httponly" not in csrf and "samesite=strict" in csrf
    me = await client.get(
        "/api/v1/users/me", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert me.json()["username"] == "ada"


async def test_cookie_refresh_needs_the_csrf_token_and_rotates(
    client: httpx.AsyncClient,
) -> None:
    first = (await _browser_login(client)).json()
    csrf = client.cookies["revenge_csrf"]
    for headers in ({}, {"X-CSRF-Token": "guess"}):
        refused = await client.post("/api/v1/auth/browser/refresh", headers=headers)
        assert refused.status_code == 403, headers
        assert refused.headers["content-type"].startswith("application/problem+json")
    cross = await client.post(
        "/api/v1/auth/browser/refresh",
        headers={"X-CSRF-Token": csrf, "Origin": "https://evil.example"},
    )
    assert cross.status_code == 403
    resp = await client.post("/api/v1/auth/browser/refresh", headers={"X-CSRF-Token": csrf})
    assert resp.status_code == 200, resp.text
    second = resp.json()
    assert second["access_token"] != first["access_token"]
    old = await client.get(
        "/api/v1/users/me", headers={"Authorization": f"Bearer {first['access_token']}"}
    )
    assert old.status_code == 401


async def test_cookie_sign_out_ends_the_session_and_clears_the_cookies(
    client: httpx.AsyncClient,
) -> None:
    tokens = (await _browser_login(client)).json()
    csrf = client.cookies["revenge_csrf"]
    refresh_cookie = client.cookies["revenge_refresh"]
    resp = await client.post("/api/v1/auth/browser/logout", headers={"X-CSRF-Token": csrf})
    assert resp.status_code == 204
    cleared = _set_cookies(resp)
    assert 'revenge_refresh=""' in cleared["revenge_refresh"] or "max-age=0" in (
        cleared["revenge_refresh"].lower()
    )
    assert "revenge_refresh" not in client.cookies
    me = await client.get(
        "/api/v1/users/me", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert me.status_code == 401
    # The old refresh cookie, replayed, opens nothing.
    client.cookies.set("revenge_refresh", refresh_cookie, path="/api/v1/auth/browser")
    client.cookies.set("revenge_csrf", csrf)
    again = await client.post("/api/v1/auth/browser/refresh", headers={"X-CSRF-Token": csrf})
    assert again.status_code == 401


async def test_browser_sign_in_from_another_site_is_refused(client: httpx.AsyncClient) -> None:
    await _admin(client)
    resp = await client.post(
        "/api/v1/auth/browser/login",
        json={"username": "ada", "password": PASSWORD},
        headers={"Origin": "https://evil.example"},
    )
    assert resp.status_code == 403
    assert "set-cookie" not in resp.headers
