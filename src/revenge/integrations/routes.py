"""*arr integrations: admin endpoints, and the webhook each Radarr/Sonarr/Lidarr calls.

The webhook (`POST /api/v1/hooks/{id}`) is on the public route list: it authenticates with
the integration's own secret, which the *arr "Webhook" connection can send as a query
parameter in its URL, as the password (or username) of its basic authentication, or in an
`X-Revenge-Secret` custom header.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import IntegrityError

from revenge.api.audit import Audit
from revenge.api.deps import AdminUser, DbSession, RuntimeDep
from revenge.api.openapi import problem_responses
from revenge.errors import Conflict
from revenge.integrations import arr, service
from revenge.integrations.models import Integration
from revenge.integrations.schemas import (
    HookAnswer,
    HookPayload,
    IntegrationCreated,
    IntegrationIn,
    IntegrationOut,
    IntegrationPatch,
    PathMappingIn,
)
from revenge.integrations.settings import HOOK_DEBOUNCE

router = APIRouter(tags=["integrations"])
ADMIN = "/api/v1/admin/integrations"
HOOK = "/api/v1/hooks/{integration_id}"


def _hook_url(request: Request, integration_id: uuid.UUID) -> str:
    return str(request.url_for("receive_hook", integration_id=str(integration_id)))


def _out(request: Request, integration: Integration) -> IntegrationOut:
    return IntegrationOut(
        id=integration.id, name=integration.name, kind=integration.kind,
        path_mappings=[PathMappingIn(**m) for m in integration.path_mappings],
        enabled=integration.enabled, webhook_url=_hook_url(request, integration.id),
        last_event=integration.last_event, last_event_at=integration.last_event_at,
        last_outcome=integration.last_outcome, created_at=integration.created_at,
    )  # fmt: skip


@router.get(ADMIN)
async def list_integrations(
    request: Request, _: AdminUser, session: DbSession
) -> list[IntegrationOut]:
    return [_out(request, i) for i in await service.list_integrations(session)]


@router.post(ADMIN, status_code=201, responses=problem_responses({409: "The name is taken."}))
async def create_integration(
    request: Request, body: IntegrationIn, _: AdminUser, session: DbSession, audit: Audit
) -> IntegrationCreated:
    """Add a Radarr, Sonarr or Lidarr; the answer holds its webhook URL and secret (once)."""
    mappings = [m.model_dump() for m in body.path_mappings]
    try:
        async with session.begin_nested():
            integration, secret = await service.create_integration(
                session, body.name, body.kind, mappings, body.enabled
            )
    except IntegrityError:
        raise Conflict(f"An integration named {body.name.strip()!r} already exists.") from None
    audit.resource_type, audit.resource_id = "integration", str(integration.id)
    out = _out(request, integration)
    return IntegrationCreated(
        **out.model_dump(), secret=secret,
        webhook_url_with_secret=f"{out.webhook_url}?secret={secret}",
    )  # fmt: skip


@router.get(f"{ADMIN}/{{integration_id}}")
async def get_integration(
    request: Request, integration_id: uuid.UUID, _: AdminUser, session: DbSession
) -> IntegrationOut:
    return _out(request, await service.get_integration(session, integration_id))


@router.patch(f"{ADMIN}/{{integration_id}}", responses=problem_responses({409: "Name taken."}))
async def update_integration(
    request: Request, integration_id: uuid.UUID, body: IntegrationPatch, _: AdminUser,
    session: DbSession,
) -> IntegrationOut:  # fmt: skip
    given = body.path_mappings
    mappings = None if given is None else [m.model_dump() for m in given]
    integration = await service.update_integration(
        session, integration_id, body.name, body.enabled, mappings
    )
    return _out(request, integration)


@router.post(f"{ADMIN}/{{integration_id}}/secret")
async def rotate_secret(
    request: Request, integration_id: uuid.UUID, _: AdminUser, session: DbSession
) -> IntegrationCreated:
    """A new secret; the old one stops working at once."""
    integration, secret = await service.rotate_secret(session, integration_id)
    out = _out(request, integration)
    return IntegrationCreated(
        **out.model_dump(), secret=secret,
        webhook_url_with_secret=f"{out.webhook_url}?secret={secret}",
    )  # fmt: skip


@router.delete(f"{ADMIN}/{{integration_id}}", status_code=204)
async def delete_integration(
    integration_id: uuid.UUID, _: AdminUser, session: DbSession
) -> Response:
    await service.delete_integration(session, integration_id)
    return Response(status_code=204)


def _offered_secrets(query: str | None, header: str | None, authorization: str | None) -> list[str]:
    offered = [s for s in (query, header) if s]
    scheme, _, value = (authorization or "").partition(" ")
    if scheme.lower() == "basic" and value:
        try:
            user, _, password = base64.b64decode(value.strip()).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return offered
        offered += [s for s in (password, user) if s]
    return offered


@router.post(
    HOOK,
    name="receive_hook",
    response_model=HookAnswer,
    responses={
        202: {"model": HookAnswer, "description": "Folders queued for a scan, or ignored."},
        **problem_responses({401: "Wrong or missing secret."}),
    },
)
async def receive_hook(
    integration_id: uuid.UUID,
    body: HookPayload,
    session: DbSession,
    runtime: RuntimeDep,
    secret: Annotated[str | None, Query(max_length=200)] = None,
    x_revenge_secret: Annotated[str | None, Header(max_length=200)] = None,
    authorization: Annotated[str | None, Header(max_length=1000)] = None,
) -> Response:
    """A Radarr/Sonarr/Lidarr webhook: Test answers 200; file events queue a scan of the
    folders they changed (202); events outside every library are ignored (202, logged)."""
    offered = _offered_secrets(secret, x_revenge_secret, authorization)
    integration = await service.authenticate(session, integration_id, offered)
    debounce = float(await runtime.server_settings.get(HOOK_DEBOUNCE))
    outcome = await service.handle_hook(
        session, runtime.jobs, integration, body.model_dump(), debounce
    )
    answer = HookAnswer(status=outcome.status, folders=outcome.folders, reason=outcome.reason)
    # 202 for the events that change files, whatever came of them; 200 for the rest.
    code = 202 if body.eventType in arr.FILE_EVENTS else 200
    return JSONResponse(answer.model_dump(mode="json"), status_code=code)
