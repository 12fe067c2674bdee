"""Request hardening: body limits while a chunked body arrives, UTF-8 JSON only, unknown query
keys refused by name, `nosniff` on every answer, and /metrics closed to the public."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from pydantic import SecretStr

from revenge.runtime import Runtime
from revenge.testing.auth import header_auth

CHUNK = 256 * 1024


@pytest.fixture
async def api(
    client: httpx.AsyncClient, clean_runtime: Runtime
) -> AsyncIterator[httpx.AsyncClient]:
    with header_auth(clean_runtime):
        yield client


async def test_chunked_body_over_the_limit_is_413_once_crossed(
    api: httpx.AsyncClient, clean_runtime: Runtime
) -> None:
    limit = clean_runtime.settings.server.max_body_bytes
    sent = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal sent
        yield b'{"username": "'
        while sent < 4 * limit:
            sent += CHUNK
            yield b"a" * CHUNK

    resp = await api.post(
        "/api/v1/auth/login", content=endless(), headers={"Content-Type": "application/json"}
    )
    assert resp.status_code == 413, resp.text
    assert resp.headers["content-type"] == "application/problem+json"
    assert resp.json()["status"] == 413
    # Refused as the limit was crossed, not after reading what the client kept sending.
    assert sent <= limit + 2 * CHUNK


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
async def test_json_bodies_must_be_utf8(api: httpx.AsyncClient, encoding: str) -> None:
    body = '{"username": "alice", "password": "whatever"}'.encode(encoding)
    resp = await api.post(
        "/api/v1/auth/login", content=body, headers={"Content-Type": "application/json"}
    )
    assert resp.status_code == 415, resp.text
    assert "UTF-8" in resp.json()["detail"]


async def test_a_declared_charset_other_than_utf8_is_refused(api: httpx.AsyncClient) -> None:
    resp = await api.post(
        "/api/v1/auth/login",
        content=b'{"username": "a", "password": "b"}',
        headers={"Content-Type": "application/json; charset=latin-1"},
    )
    assert resp.status_code == 415


@pytest.mark.parametrize(
    ("path", "who"),
    [
        ("/api/v1/search?q=matrix&tpyes=movie", "user"),
        ("/api/v1/admin/jobs?tpyes=movie", "admin"),
        ("/api/v1/admin/jobs/periodic?tpyes=1", "admin"),
        ("/api/v1/users/me/activity?tpyes=1", "user"),
        ("/api/v1/admin/activity?tpyes=1", "admin"),
        ("/api/v1/me/recently-added?tpyes=1", "user"),
        ("/api/v1/me/continue-watching?tpyes=1", "user"),
        ("/api/v1/me/next-up?tpyes=1", "user"),
    ],
)
async def test_unknown_query_keys_are_named_in_a_400(
    api: httpx.AsyncClient, path: str, who: str
) -> None:
    resp = await api.get(path, headers={"X-Test-User": who})
    assert resp.status_code == 400, resp.text
    assert resp.json()["key"] == "tpyes" and "tpyes" in resp.json()["detail"]
    # The declared keys still work.
    good = path.split("?")[0] + ("?q=matrix" if "search" in path else "")
    assert (await api.get(good, headers={"X-Test-User": who})).status_code == 200


@pytest.mark.parametrize("path", ["/health/live", "/api/v1/nowhere", "/openapi.json"])
async def test_every_answer_says_nosniff(api: httpx.AsyncClient, path: str) -> None:
    resp = await api.get(path)
    assert resp.headers["x-content-type-options"] == "nosniff"


async def test_metrics_need_an_admin_or_the_metrics_token(
    api: httpx.AsyncClient, clean_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert (await api.get("/metrics")).status_code == 401
    assert (await api.get("/metrics", headers={"X-Test-User": "user"})).status_code == 403
    admin = await api.get("/metrics", headers={"X-Test-User": "admin"})
    assert admin.status_code == 200 and "revenge_http_requests_total" in admin.text
    monkeypatch.setattr(
        clean_runtime.settings.server, "metrics_token", SecretStr("scrape-secret-123")
    )
    wrong = await api.get("/metrics", headers={"Authorization": "Bearer not-it"})
    assert wrong.status_code == 401
    scraper = await api.get("/metrics", headers={"Authorization": "Bearer scrape-secret-123"})
    assert scraper.status_code == 200 and "revenge_http_request_seconds" in scraper.text
