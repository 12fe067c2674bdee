"""Operations: log records name the request and the caller; Prometheus sees jobs and cache."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text

from revenge.api.deps import CurrentUser
from revenge.infra.logs import JsonFormatter
from revenge.runtime import Runtime
from revenge.testing import jobs_plugin
from revenge.testing.auth import USER, header_auth, metrics_scraper

log = logging.getLogger("revenge.test.ops")


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[dict[str, object]] = []
        self.setFormatter(JsonFormatter())

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


@pytest.fixture
def scraper(clean_runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    return metrics_scraper(clean_runtime, monkeypatch)


@pytest.fixture
def captured() -> Iterator[Capture]:
    handler = Capture()
    root = logging.getLogger()
    root.addHandler(handler)
    previous = root.level
    root.setLevel(logging.INFO)
    yield handler
    root.removeHandler(handler)
    root.setLevel(previous)


async def test_log_records_carry_request_id_and_user_id(
    app: FastAPI, clean_runtime: Runtime, captured: Capture
) -> None:
    @app.get("/test-ops/hello")
    async def hello(user: CurrentUser) -> dict[str, str]:
        log.info("hello from a handler")
        return {"user": user.username}

    @app.get("/test-ops/boom")
    async def boom(user: CurrentUser) -> None:
        raise RuntimeError("kaboom")

    # Like a real server, the client gets the 500 answer instead of the exception.
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    client = httpx.AsyncClient(transport=transport, base_url="http://t")
    with header_auth(clean_runtime):
        ok = await client.get(
            "/test-ops/hello", headers={"X-Test-User": "user", "X-Request-Id": "req-1"}
        )
        failed = await client.get(
            "/test-ops/boom", headers={"X-Test-User": "user", "X-Request-Id": "req-2"}
        )
        anonymous = await client.get("/api/v1/system/info", headers={"X-Request-Id": "req-3"})
    await client.aclose()
    assert ok.status_code == 200 and failed.status_code == 500 and anonymous.status_code == 200
    said = next(line for line in captured.lines if line["message"] == "hello from a handler")
    assert said["request_id"] == "req-1" and said["user_id"] == str(USER.user_id)
    crash = next(line for line in captured.lines if "unhandled error" in str(line["message"]))
    assert crash["request_id"] == "req-2" and crash["user_id"] == str(USER.user_id)
    assert "kaboom" in str(crash["exception"])
    # Outside a request, or for an anonymous caller, no user is named.
    log.info("outside any request")
    assert "user_id" not in captured.lines[-1] and captured.lines[-1]["request_id"] == "-"


def _samples(text: str, name: str) -> dict[tuple[tuple[str, str], ...], float]:
    found: dict[tuple[tuple[str, str], ...], float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name:
                found[tuple(sorted(sample.labels.items()))] = sample.value
    return found


async def test_metrics_report_jobs_per_task_and_state(
    client: httpx.AsyncClient, clean_runtime: Runtime, tmp_path: Path, scraper: dict[str, str]
) -> None:
    rt = clean_runtime
    if "testing.flaky" not in rt.registry.tasks:
        jobs_plugin.register(rt.registry)
    async with rt.db.transaction() as session:
        for _ in range(3):
            await rt.jobs.enqueue(session, "testing.record", {"path": str(tmp_path / "r")})
        await rt.jobs.enqueue(session, "testing.flaky", {"path": str(tmp_path / "f")})
        # One held failure and one running job, as a worker would leave them.
        await session.execute(
            text(
                "UPDATE pgqueuer SET status = CASE WHEN entrypoint = 'testing.flaky'"
                " THEN 'failed'::pgqueuer_status ELSE 'picked'::pgqueuer_status END"
                " WHERE id IN (SELECT max(id) FROM pgqueuer GROUP BY entrypoint)"
            )
        )
    jobs = _samples((await client.get("/metrics", headers=scraper)).text, "revenge_jobs")
    assert jobs[(("state", "queued"), ("task", "testing.record"))] == 2
    assert jobs[(("state", "running"), ("task", "testing.record"))] == 1
    assert jobs[(("state", "failed"), ("task", "testing.flaky"))] == 1
    assert jobs[(("state", "queued"), ("task", "maintenance.cleanup"))] == 0

    # A job that raises counts as an error, with its duration observed.
    rt.metrics.observe_job("testing.flaky", 0.2, failed=True)
    text_out = (await client.get("/metrics", headers=scraper)).text
    errors = _samples(text_out, "revenge_job_errors_total")
    assert errors[(("task", "testing.flaky"),)] >= 1
    assert _samples(text_out, "revenge_job_seconds_count")[(("task", "testing.flaky"),)] >= 1


async def test_metrics_report_cache_hit_ratio(
    client: httpx.AsyncClient, clean_runtime: Runtime, scraper: dict[str, str]
) -> None:
    cache = clean_runtime.cache

    def lookups() -> dict[tuple[tuple[str, str], ...], float]:
        return _samples(clean_runtime.metrics.render().decode(), "revenge_cache_lookups_total")

    before = lookups()
    await cache.set("ops:a", b"1", 30)
    for _ in range(3):
        assert await cache.get("ops:a") == b"1"
    assert await cache.get("ops:missing") is None
    after = lookups()
    assert after[(("result", "hit"),)] - before.get((("result", "hit"),), 0) == 3
    assert after[(("result", "miss"),)] - before.get((("result", "miss"),), 0) == 1
    ratio = _samples(
        (await client.get("/metrics", headers=scraper)).text, "revenge_cache_hit_ratio"
    )[()]
    assert 0 < ratio <= 1
