"""Admin API for provider credentials: masked list, set, delete, test."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import Response

from revenge.api.deps import AdminUser, DbSession, RuntimeDep
from revenge.errors import BadRequest, NotFound
from revenge.metadata.jobs import refetch_waiting_for
from revenge.metadata.provider_credentials.models import ProviderCredential
from revenge.metadata.provider_credentials.schemas import (
    CredentialIn,
    CredentialOut,
    CredentialProviderOut,
    CredentialTest,
)
from revenge.metadata.provider_credentials.service import (
    KNOWN_SERVICES,
    CredentialService,
    NoProviderKey,
)

router = APIRouter(prefix="/api/v1/admin/credentials", tags=["credentials"])

Service = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9_.-]{1,63}$")]
# Keys are stored only for providers this server knows; others answer 400 naming them.
KnownService = Annotated[
    str,
    Path(pattern=r"^[a-z0-9][a-z0-9_.-]{1,63}$", json_schema_extra={"enum": list(KNOWN_SERVICES)}),
]


def _out(svc: CredentialService, row: ProviderCredential) -> CredentialOut:
    return CredentialOut(
        service=row.service,
        name=KNOWN_SERVICES.get(row.service, row.service),
        masked_value=svc.masked(row),
        key_id=row.key_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
        last_used_at=row.last_used_at,
    )


@router.get("")
async def list_credentials(
    _: AdminUser, session: DbSession, runtime: RuntimeDep
) -> list[CredentialOut]:
    """Every stored key, masked (last 4 characters), with created/last-used times."""
    svc = runtime.credentials
    return [_out(svc, row) for row in await svc.list(session)]


@router.get("/providers")
async def list_providers(
    _: AdminUser, session: DbSession, runtime: RuntimeDep
) -> list[CredentialProviderOut]:
    """Every provider a key can be stored for, and whether one is."""
    stored = {row.service for row in await runtime.credentials.list(session)}
    return [
        CredentialProviderOut(service=service, name=name, configured=service in stored)
        for service, name in KNOWN_SERVICES.items()
    ]


@router.get("/{service}")
async def get_credential(
    service: Service, _: AdminUser, session: DbSession, runtime: RuntimeDep
) -> CredentialOut:
    row = await runtime.credentials.find(session, service)
    if row is None:
        raise NotFound(f"No key stored for {service}.")
    return _out(runtime.credentials, row)


@router.put("/{service}")
async def put_credential(
    service: KnownService,
    body: CredentialIn,
    user: AdminUser,
    session: DbSession,
    runtime: RuntimeDep,
) -> CredentialOut:
    """Store (or replace) the key for a service; it is encrypted before it is written."""
    if service not in KNOWN_SERVICES:
        # A typo ("tmbd") would be stored, used by nothing, and look configured.
        known = ", ".join(sorted(KNOWN_SERVICES))
        raise BadRequest(f"Unknown provider {service!r}; known providers: {known}.", key=service)
    row = await runtime.credentials.put(session, service, body.value.strip(), user.user_id)
    # Items left unmatched for want of this key are fetched again now, not at the next refresh.
    await refetch_waiting_for(runtime, session, service)
    return _out(runtime.credentials, row)


@router.delete("/{service}", status_code=204)
async def delete_credential(
    service: Service, _: AdminUser, session: DbSession, runtime: RuntimeDep
) -> Response:
    if not await runtime.credentials.remove(session, service):
        raise NotFound(f"No key stored for {service}.")
    return Response(status_code=204)


@router.post("/{service}/test")
async def test_credential(
    service: Service, _: AdminUser, session: DbSession, runtime: RuntimeDep
) -> CredentialTest:
    """Ask the provider whether the stored key works."""
    try:
        outcome = await runtime.credentials.test(session, service)
    except NoProviderKey:
        raise NotFound(f"No key stored for {service}.") from None
    return CredentialTest(
        service=service, ok=outcome.ok, detail=outcome.detail, status_code=outcome.status_code
    )
