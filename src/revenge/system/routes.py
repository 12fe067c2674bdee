"""Health probes and system info (public), and Prometheus metrics (admins or a token).

`/metrics` is on the public list only so that a scraper without an account can reach it
with the `server.metrics_token` bearer token; anyone else needs an administrator's
credentials, as per-route counts and latencies describe how the server is used.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from revenge.api.deps import RuntimeDep, optional_principal
from revenge.api.openapi import problem_responses
from revenge.errors import Forbidden, Unauthorized
from revenge.identity import Principal
from revenge.system import service
from revenge.system.schemas import Live, Ready, SystemInfo

if TYPE_CHECKING:
    from revenge.runtime import Runtime

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
            job_queue = "ok" if await service.job_queue_installed(session) else "missing"
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
        pending = await service.setup_pending(session)
    # The stored setting, not the start-up config: renaming the server shows here at once.
    name = await runtime.server_settings.get("server.name")
    return SystemInfo(name=name, version=runtime.version, setup_pending=pending)


_EXPOSITION = {"text/plain": {"schema": {"type": "string"}}}


@router.get(
    "/metrics",
    tags=["system"],
    response_class=Response,
    responses={
        200: {"description": "Prometheus text exposition format.", "content": _EXPOSITION},
        **problem_responses(
            {
                401: "Neither the metrics token nor credentials were sent.",
                403: "The caller is not an administrator.",
            }
        ),
    },
)
async def metrics(
    runtime: RuntimeDep,
    request: Request,
    principal: Annotated[Principal | None, Depends(optional_principal)],
) -> Response:
    """Prometheus exposition format: for administrators, or with `server.metrics_token`."""
    _may_scrape(runtime, request, principal)
    try:
        async with asyncio.timeout(1), runtime.db.sessions() as session:
            counts = await service.job_counts(session)
        runtime.metrics.set_job_counts(runtime.registry.tasks, counts)
    except Exception:  # a scrape during a database outage still reports the rest
        log.warning("job counts unavailable for /metrics")
    return Response(runtime.metrics.render(), media_type="text/plain; version=0.0.4")


def _may_scrape(runtime: Runtime, request: Request, principal: Principal | None) -> None:
    token = runtime.settings.server.metrics_token
    sent = request.headers.get("authorization", "")
    if token is not None and sent[:7].lower() == "bearer ":
        expected = token.get_secret_value().encode()
        if expected and hmac.compare_digest(sent[7:].strip().encode(), expected):
            return
    if principal is None:
        raise Unauthorized("Metrics need an administrator or the metrics token.")
    if not principal.is_admin:
        raise Forbidden("Metrics need an administrator or the metrics token.")
