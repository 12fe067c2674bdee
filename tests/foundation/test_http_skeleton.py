"""Health, system info, metrics and problem+json answers for bad input."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from revenge.runtime import Runtime
from revenge.testing.auth import ADMIN, header_auth, metrics_scraper

PROBLEM = "application/problem+json"


async def test_live_and_ready(client: httpx.AsyncClient) -> None:
    assert (await client.get("/health/live")).json() == {"status": "ok"}
    ready = await client.get("/health/ready")
    assert ready.status_code == 200
    body = ready.json()
    assert body["database"] == "ok" and body["job_queue"] == "ok"
    assert body["cache"] in {"ok", "memory"}


async def test_system_info_reports_pending_setup(client: httpx.AsyncClient) -> None:
    info = (await client.get("/api/v1/system/info")).json()
    assert info["setup_pending"] is True
    assert info["name"] == "Revenge" and info["version"]


async def test_request_id_is_echoed_or_assigned(client: httpx.AsyncClient) -> None:
    mine = await client.get("/health/live", headers={"X-Request-Id": "abc-123"})
    assert mine.headers["x-request-id"] == "abc-123"
    assigned = await client.get("/health/live")
    assert len(assigned.headers["x-request-id"]) == 16


async def test_unknown_route_is_problem_404(client: httpx.AsyncClient) -> None:
    resp = await client.get("/api/v1/nothing-here")
    assert resp.status_code == 404
    assert resp.headers["content-type"].startswith(PROBLEM)
    assert set(resp.json()) >= {"type", "title", "status", "detail"}


async def test_wrong_method_is_problem_405(client: httpx.AsyncClient) -> None:
    resp = await client.delete("/health/live")
    assert resp.status_code == 405
    assert resp.headers["content-type"].startswith(PROBLEM)


@pytest.mark.parametrize(
    ("headers", "content", "status"),
    [
        ({"content-type": "application/json"}, b"{not json", 401),
        ({"content-type": "text/plain"}, b"hello", 415),
        ({"content-type": "application/json"}, b"x" * (11 * 1024 * 1024), 413),
    ],
)
async def test_bad_bodies_get_problem_answers(
    client: httpx.AsyncClient, headers: dict[str, str], content: bytes, status: int
) -> None:
    # Unauthenticated callers are refused before the body is parsed (401); the media type
    # and size checks come first of all.
    resp = await client.post("/api/v1/admin/jobs/1/retry", headers=headers, content=content)
    assert resp.status_code == status
    assert resp.headers["content-type"].startswith(PROBLEM)
    assert resp.json()["status"] == status


async def test_chunked_oversized_body_is_413(
    client: httpx.AsyncClient, clean_runtime: Runtime
) -> None:
    """An administrator's chunked body (no Content-Length) is cut off at the limit: 413 only."""

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(12):
            yield b"x" * (1024 * 1024)

    with header_auth(clean_runtime) as auth:
        resp = await client.post(
            "/api/v1/libraries",
            headers={"content-type": "application/json", **auth.headers(ADMIN)},
            content=chunks(),
        )
    assert resp.status_code == 413
    assert resp.headers["content-type"].startswith(PROBLEM)


async def test_metrics_exposes_http_counters(
    client: httpx.AsyncClient, clean_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    await client.get("/health/live")
    text = (await client.get("/metrics", headers=metrics_scraper(clean_runtime, monkeypatch))).text
    assert 'revenge_http_requests_total{method="GET",route="/health/live",status="200"}' in text


async def test_openapi_is_served(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    assert "/health/ready" in spec["paths"]
