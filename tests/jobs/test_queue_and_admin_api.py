"""Transactional enqueue, retries with backoff, and the admin job API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from revenge.infra.jobs.worker import Worker
from revenge.runtime import Runtime
from revenge.testing import jobs_plugin
from revenge.testing.auth import header_auth
from revenge.testing.processes import lines
from tests.support.waiting import eventually

ADMIN = {"X-Test-User": "admin"}


@pytest.fixture
async def rt(clean_runtime: Runtime) -> AsyncIterator[Runtime]:
    if "testing.record" not in clean_runtime.registry.tasks:
        jobs_plugin.register(clean_runtime.registry)
    jobs = clean_runtime.settings.jobs
    saved = (jobs.retry_base_seconds, jobs.heartbeat_seconds)
    jobs.retry_base_seconds, jobs.heartbeat_seconds = 0.1, 5
    with header_auth(clean_runtime):
        yield clean_runtime
    jobs.retry_base_seconds, jobs.heartbeat_seconds = saved


@pytest.fixture
async def worker(rt: Runtime) -> AsyncIterator[Worker]:
    w = Worker(rt, ("maintenance",))
    await w.start()
    yield w
    await w.stop(grace_seconds=5)


async def test_enqueue_is_part_of_the_callers_transaction(
    rt: Runtime, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    with pytest.raises(RuntimeError):
        async with rt.db.transaction() as session:
            await rt.jobs.enqueue(session, "testing.record", {"path": str(tmp_path / "x")})
            raise RuntimeError("request failed")
    assert (await client.get("/api/v1/admin/jobs", headers=ADMIN)).json()["items"] == []
    async with rt.db.transaction() as session:
        job_id = await rt.jobs.enqueue(session, "testing.record", {"path": str(tmp_path / "x")})
    items = (await client.get("/api/v1/admin/jobs", headers=ADMIN)).json()["items"]
    assert [(i["id"], i["task"], i["queue"], i["status"]) for i in items] == [
        (job_id, "testing.record", "maintenance", "queued")
    ]


async def test_unknown_job_name_is_refused(rt: Runtime) -> None:
    async with rt.db.transaction() as session:
        with pytest.raises(KeyError):
            await rt.jobs.enqueue(session, "nope.nothing", {})


async def test_failing_job_is_retried_with_backoff_then_succeeds(
    rt: Runtime, worker: Worker, tmp_path: Path
) -> None:
    out = tmp_path / "attempts.txt"
    async with rt.db.transaction() as session:
        await rt.jobs.enqueue(session, "testing.flaky", {"path": str(out), "succeed_on": 3})

    async def three_attempts() -> bool:
        return len(lines(out)) >= 3

    await eventually(three_attempts)
    assert lines(out) == ["attempt 1", "attempt 2", "attempt 3"]


async def test_exhausted_job_is_failed_and_can_be_retried(
    rt: Runtime, worker: Worker, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    out = tmp_path / "attempts.txt"
    async with rt.db.transaction() as session:
        job_id = await rt.jobs.enqueue(
            session, "testing.flaky", {"path": str(out), "succeed_on": 99}
        )

    async def failed() -> bool:
        resp = await client.get("/api/v1/admin/jobs", params={"status": "failed"}, headers=ADMIN)
        return [i["id"] for i in resp.json()["items"]] == [job_id]

    await eventually(failed)
    detail = (await client.get(f"/api/v1/admin/jobs/{job_id}", headers=ADMIN)).json()
    assert detail["status"] == "failed"
    assert detail["args"] == {"path": str(out), "succeed_on": 99}
    assert "boom on attempt 3" in detail["error"]
    assert len(lines(out)) == 3
    retried = await client.post(f"/api/v1/admin/jobs/{job_id}/retry", headers=ADMIN)
    assert retried.status_code == 202

    async def failed_again() -> bool:
        return len(lines(out)) == 6 and await failed()

    await eventually(failed_again)
    cancel = await client.post(f"/api/v1/admin/jobs/{job_id}/cancel", headers=ADMIN)
    assert cancel.status_code == 409
    assert "failed" in cancel.json()["detail"]


async def test_cancel_queued_job_then_retry_says_why_it_cannot(
    rt: Runtime, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    async with rt.db.transaction() as session:
        job_id = await rt.jobs.enqueue(session, "testing.record", {"path": str(tmp_path / "x")})
    resp = await client.post(f"/api/v1/admin/jobs/{job_id}/cancel", headers=ADMIN)
    assert resp.status_code == 202
    cancelled = await client.get(
        "/api/v1/admin/jobs", params={"status": "cancelled"}, headers=ADMIN
    )
    assert [i["id"] for i in cancelled.json()["items"]] == [job_id]

    # An ended job is not "missing": the answer says it was cancelled and what to do instead.
    for verb in ("cancel", "retry"):
        again = await client.post(f"/api/v1/admin/jobs/{job_id}/{verb}", headers=ADMIN)
        assert again.status_code == 409, verb
        assert "was cancelled" in again.json()["detail"]
        assert "start the work again" in again.json()["detail"]
        assert again.json()["job_status"] == "cancelled"
    never = await client.post("/api/v1/admin/jobs/987654321/retry", headers=ADMIN)
    assert never.status_code == 404 and "No job 987654321" in never.json()["detail"]


async def test_job_api_needs_an_admin(rt: Runtime, client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/v1/admin/jobs")).status_code == 401
    resp = await client.get("/api/v1/admin/jobs", headers={"X-Test-User": "user"})
    assert resp.status_code == 403
    assert resp.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    "params", [{"status": "bogus"}, {"limit": "0"}, {"limit": "100000"}, {"queue": "nope"}]
)
async def test_bad_filters_are_422(
    rt: Runtime, client: httpx.AsyncClient, params: dict[str, str]
) -> None:
    resp = await client.get("/api/v1/admin/jobs", params=params, headers=ADMIN)
    assert resp.status_code == 422
    assert resp.json()["status"] == 422


async def test_periodic_tasks_listed_and_run_now(rt: Runtime, client: httpx.AsyncClient) -> None:
    periodic = (await client.get("/api/v1/admin/jobs/periodic", headers=ADMIN)).json()
    cleanup = next(p for p in periodic if p["task"] == "maintenance.cleanup")
    assert cleanup["cron"]
    first = await client.post(f"/api/v1/admin/jobs/periodic/{cleanup['name']}/run", headers=ADMIN)
    second = await client.post(f"/api/v1/admin/jobs/periodic/{cleanup['name']}/run", headers=ADMIN)
    assert first.status_code == 202 and first.json()["deduplicated"] is False
    assert second.json()["deduplicated"] is True
    missing = await client.post("/api/v1/admin/jobs/periodic/nope/run", headers=ADMIN)
    assert missing.status_code == 404


async def test_periodic_task_records_next_run_once_worker_started(
    rt: Runtime, worker: Worker, client: httpx.AsyncClient
) -> None:
    async def scheduled() -> bool:
        periodic = (await client.get("/api/v1/admin/jobs/periodic", headers=ADMIN)).json()
        return any(p["next_run"] for p in periodic)

    await eventually(scheduled)
