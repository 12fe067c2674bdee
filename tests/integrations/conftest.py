"""Fixtures for integration tests: the library fixtures, and running queued jobs here."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text

from revenge.infra.jobs.context import JobContext
from revenge.runtime import Runtime
from tests.libraries.conftest import api, make_library, scan

__all__ = ["api", "make_library", "scan"]


async def queued(runtime: Runtime, entrypoint: str) -> list[dict[str, Any]]:
    """Payloads of the jobs of one kind waiting in the queue, oldest first."""
    async with runtime.db.transaction() as session:
        rows = await session.execute(
            text("SELECT payload FROM pgqueuer WHERE entrypoint = :e ORDER BY id"),
            {"e": entrypoint},
        )
        return [json.loads(bytes(r[0])) if r[0] else {} for r in rows]


async def run_queued(runtime: Runtime, entrypoint: str) -> int:
    """Take the queued jobs of one kind off the queue and run each (as a worker would)."""
    async with runtime.db.transaction() as session:
        rows = (
            await session.execute(
                text(
                    "DELETE FROM pgqueuer WHERE entrypoint = :e AND status = 'queued'"
                    " RETURNING id, payload"
                ),
                {"e": entrypoint},
            )
        ).all()
    func = runtime.registry.tasks[entrypoint].func
    for job_id, payload in sorted(rows):
        body = json.loads(bytes(payload)) if payload else {}
        await func(JobContext(runtime, int(job_id), entrypoint, 1), body)
    return len(rows)


async def set_setting(api: Any, key: str, value: Any) -> None:
    response = await api.put(
        f"/api/v1/admin/settings/{key}", json={"value": value}, headers={"x-test-user": "admin"}
    )
    assert response.status_code == 200, response.text
