"""`/api/v1/me/app-passwords`: the caller's passwords for Subsonic apps (token+salt auth)."""

from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field

from revenge.accounts.models import AppPassword
from revenge.api.deps import CurrentUser, DbSession, RuntimeDep
from revenge.api.openapi import problem_responses
from revenge.infra.records import RowOut

router = APIRouter(prefix="/api/v1/me/app-passwords", tags=["app passwords"])


class AppPasswordCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100, description="The app it is for.")


class AppPasswordOut(RowOut):
    id: uuid.UUID
    name: str
    prefix: str = Field(description="The first characters of the password, to recognise it.")
    created_at: datetime
    last_used_at: datetime | None

    @classmethod
    def of(cls, row: AppPassword) -> AppPasswordOut:
        return cls.from_row(row)


class AppPasswordCreated(AppPasswordOut):
    password: str = Field(description="The password itself; shown only this once.")


@router.get("")
async def list_app_passwords(
    user: CurrentUser, runtime: RuntimeDep, session: DbSession
) -> list[AppPasswordOut]:
    rows = await runtime.accounts.app_passwords.list_for(session, user.user_id)
    return [AppPasswordOut.of(r) for r in rows]


@router.post("", status_code=201, responses=problem_responses({409: "Too many app passwords."}))
async def create_app_password(
    body: AppPasswordCreate, user: CurrentUser, runtime: RuntimeDep, session: DbSession
) -> AppPasswordCreated:
    """Generate a password for one Subsonic app; it is in this response only."""
    row, secret = await runtime.accounts.app_passwords.create(session, user.user_id, body.name)
    return AppPasswordCreated(**AppPasswordOut.of(row).model_dump(), password=secret)


@router.delete("/{app_id}", status_code=204, responses=problem_responses({404: "No such one."}))
async def revoke_app_password(
    app_id: uuid.UUID, user: CurrentUser, runtime: RuntimeDep, session: DbSession
) -> Response:
    """Revoke one app password: the app using it is refused from now on."""
    await runtime.accounts.app_passwords.revoke(session, user.user_id, app_id)
    return Response(status_code=204)
