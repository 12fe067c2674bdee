"""Health probes, system info and Prometheus metrics (all public)."""

from __future__ import annotations

import asyncio
import logging

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from revenge.api.deps import RuntimeDep
from revenge.infra.jobs import repository as jobs_repository
from revenge.system import repository
from revenge.system.schemas import Live, Ready, SystemInfo

log = logging.getLogger(__name__)

router = APIRouter()


@router.get("/health/live", tags=["system"])
async def live() -> Live:
    """The process is up."""
    return Live(status="ok")


@router.get(
    "/health/ready", tags=["system"], response_model=Ready, responses={503: {"model": Ready}}
)
async def ready(runtime: RuntimeDep) -> JSONResponse:
    """Database, job queue and cache can serve; 503 while the database is unreachable."""
    database = job_queue = "unavailable"
    try:
        async with asyncio.timeout(3), runtime.db.sessions() as session:
            await session.connection()
            database = "ok"
            job_queue = "ok" if await repository.job_queue_installed(session) else "missing"
    except Exception:  # any failure to reach the database means "not ready"
        pass
    cache = await runtime.cache.status()
    body = Ready(
        status="ok" if database == job_queue == "ok" else "unavailable",
        database=database,
        job_queue=job_queue,
        cache=cache,
    )
    return JSONResponse(body.model_dump(), status_code=200 if body.status == "ok" else 503)


@router.get("/api/v1/system/info", tags=["system"])
async def info(runtime: RuntimeDep) -> SystemInfo:
    """Server name, version, and whether first-run setup is still pending."""
    async with runtime.db.sessions() as session:
        pending = not await repository.has_any_user(session)
    # The stored setting, not the start-up config: renaming the server shows here at once.
    name = await runtime.server_settings.get("server.name")
    return SystemInfo(name=name, version=runtime.version, setup_pending=pending)


_EXPOSITION = {"text/plain": {"schema": {"type": "string"}}}


@router.get(
    "/metrics",
    tags=["system"],
    response_class=Response,
    responses={200: {"description": "Prometheus text exposition format.", "content": _EXPOSITION}},
)
async def metrics(runtime: RuntimeDep) -> Response:
    """Prometheus exposition format."""
    try:
        async with asyncio.timeout(1), runtime.db.sessions() as session:
            counts = await jobs_repository.counts_by_task(session)
        runtime.metrics.set_job_counts(runtime.registry.tasks, counts)
    except Exception:  # a scrape during a database outage still reports the rest
        log.warning("job counts unavailable for /metrics")
    return Response(runtime.metrics.render(), media_type="text/plain; version=0.0.4")
