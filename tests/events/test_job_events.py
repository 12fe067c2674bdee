"""A job that used up its attempts is announced as `job.failed`; a fetched metadata batch as
one `metadata.fetch.completed` (and its items as changed), to those who may see them."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest

from revenge.infra.jobs.context import JobContext
from revenge.infra.jobs.worker import Worker
from revenge.metadata.jobs import fetch
from revenge.runtime import Runtime
from revenge.scanning.scan import ScanRequest, run_scan
from tests.events.sse import SseClient
from tests.support.actors import Actors
from tests.support.media import make_video


async def test_a_job_that_used_up_its_attempts_is_announced(
    actors: Actors, served: str, clean_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clean_runtime.settings.jobs, "retry_base_seconds", 0.1)
    monkeypatch.setattr(clean_runtime.settings.jobs, "poll_seconds", 0.1)
    worker = Worker(clean_runtime, ("scan",))
    await worker.start()
    try:
        async with (
            SseClient(served, actors.as_admin) as admin,
            SseClient(served, actors.as_user) as user,
        ):
            async with clean_runtime.db.transaction() as session:
                await clean_runtime.jobs.enqueue(
                    session, "libraries.scan", {"library_id": "not-a-library"}
                )
            await admin.wait(lambda c: bool(c.of("job.failed")), seconds=20)
    finally:
        await worker.stop(grace_seconds=2)
    (failed,) = admin.of("job.failed")
    assert failed.data["data"]["task"] == "libraries.scan"
    assert failed.data["data"]["attempts"] == 3
    assert "badly formed" in failed.data["message"]
    assert user.of("job.failed") == []  # for administrators only


async def test_a_fetched_metadata_batch_is_announced_once(
    client: httpx.AsyncClient, actors: Actors, served: str, clean_runtime: Runtime,
    tmp_path: Path,
) -> None:  # fmt: skip
    root = tmp_path / "films"
    for title in ("Heat (1995)", "Ronin (1998)"):
        make_video(root / title / f"{title}.mkv", seconds=0.2)
    resp = await client.post(
        "/api/v1/libraries",
        json={"name": "Films", "type": "movie", "paths": [str(root)]},
        headers=actors.as_admin,
    )
    assert resp.status_code == 201, resp.text
    library = resp.json()["id"]
    state = await run_scan(clean_runtime, ScanRequest(uuid.UUID(library), "full"))
    assert state is not None
    items = [{"kind": k, "id": str(i)} for k, i in sorted(state.items)]
    async with SseClient(served, actors.as_admin) as live:
        ctx = JobContext(clean_runtime, 1, "metadata.fetch", 1)
        await fetch(ctx, {"library_id": library, "items": items})
        await live.wait(lambda c: bool(c.of("metadata.fetch.completed") and c.of("item.changed")))
    (done,) = live.of("metadata.fetch.completed")
    assert done.data["title"] == "Metadata fetched for 2 items"
    assert done.data["data"]["library_id"] == library
    (changed,) = live.of("item.changed")
    assert sorted(i["id"] for i in changed.data["data"]["items"]) == sorted(i["id"] for i in items)
