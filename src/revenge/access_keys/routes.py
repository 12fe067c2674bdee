"""Personal access key API. Another user's key answers 404, like one that does not exist."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from revenge.access_keys.schemas import AccessKeyCreate, AccessKeyCreated, AccessKeyOut
from revenge.api.deps import Client, CurrentUser, DbSession, RuntimeDep
from revenge.api.openapi import problem_responses
from revenge.errors import NotFound

router = APIRouter(prefix="/api/v1/access-keys", tags=["access keys"])


@router.get("")
async def list_keys(
    principal: CurrentUser, runtime: RuntimeDep, session: DbSession
) -> list[AccessKeyOut]:
    keys = await runtime.accounts.access_keys.list_keys(session, principal.user_id)
    return [AccessKeyOut.of(k) for k in keys]


@router.post(
    "",
    status_code=201,
    responses=problem_responses({403: "A key cannot grant more than the credentials creating it."}),
)
async def create_key(
    body: AccessKeyCreate,
    principal: CurrentUser,
    runtime: RuntimeDep,
    session: DbSession,
    client: Client,
) -> AccessKeyCreated:
    """Create a key; its secret is in this response only."""
    key, secret = await runtime.accounts.access_keys.create(
        session,
        principal,
        name=body.name,
        scopes=body.scopes,
        expires_at=body.expires_at,
        client=client,
    )
    return AccessKeyCreated(**AccessKeyOut.of(key).model_dump(), key=secret)


@router.get("/{key_id}")
async def read_key(
    key_id: uuid.UUID, principal: CurrentUser, runtime: RuntimeDep, session: DbSession
) -> AccessKeyOut:
    key = await runtime.accounts.access_keys.get(session, principal.user_id, key_id)
    if key is None:
        raise NotFound("No such access key.")
    return AccessKeyOut.of(key)


@router.delete("/{key_id}", status_code=204)
async def revoke_key(
    key_id: uuid.UUID,
    principal: CurrentUser,
    runtime: RuntimeDep,
    session: DbSession,
    client: Client,
) -> Response:
    if not await runtime.accounts.access_keys.revoke(session, principal.user_id, key_id, client):
        raise NotFound("No such access key.")
    return Response(status_code=204)
