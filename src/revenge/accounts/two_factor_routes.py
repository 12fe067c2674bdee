"""Two-factor sign-in: one's own enrolment under /api/v1/me/2fa, an administrator's reset."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from revenge.accounts.two_factor_schemas import (
    RecoveryCodes,
    TwoFactorCode,
    TwoFactorSetup,
    TwoFactorStatus,
)
from revenge.api.deps import AdminUser, CurrentUser, DbSession, RuntimeDep
from revenge.api.openapi import problem_responses

router = APIRouter(tags=["two-factor sign-in"])

_ON = problem_responses({409: "Two-factor sign-in is already on."})
_CODE = problem_responses({400: "The code does not match.", 409: "Two-factor sign-in is off."})


@router.get("/api/v1/me/2fa")
async def two_factor_status(
    principal: CurrentUser, runtime: RuntimeDep, session: DbSession
) -> TwoFactorStatus:
    """Whether two-factor sign-in is on, and how many recovery codes are left."""
    user, left = await runtime.accounts.two_factor.status(session, principal.user_id)
    enabled = user.totp_enabled_at is not None
    return TwoFactorStatus(
        enabled=enabled, enabled_at=user.totp_enabled_at, recovery_codes_left=left
    )


@router.post("/api/v1/me/2fa/setup", responses=_ON)
async def begin_two_factor(
    principal: CurrentUser, runtime: RuntimeDep, session: DbSession
) -> TwoFactorSetup:
    """Start enrolment: a new secret and its QR data; confirm it with /enable."""
    found = await runtime.accounts.two_factor.begin(session, principal.user_id)
    return TwoFactorSetup(secret=found.secret, provisioning_uri=found.provisioning_uri)


@router.post(
    "/api/v1/me/2fa/enable",
    responses=problem_responses(
        {400: "The code does not match.", 409: "Already on, or no enrolment started."}
    ),
)
async def enable_two_factor(
    body: TwoFactorCode, principal: CurrentUser, runtime: RuntimeDep, session: DbSession
) -> RecoveryCodes:
    """Turn two-factor sign-in on with a code from the app; returns the recovery codes."""
    codes = await runtime.accounts.two_factor.confirm(session, principal.user_id, body.code)
    return RecoveryCodes(recovery_codes=codes)


@router.post("/api/v1/me/2fa/recovery-codes", responses=_CODE)
async def renew_recovery_codes(
    body: TwoFactorCode, principal: CurrentUser, runtime: RuntimeDep, session: DbSession
) -> RecoveryCodes:
    """Replace every recovery code (a current code is needed); the old ones stop working."""
    codes = await runtime.accounts.two_factor.regenerate_codes(
        session, principal.user_id, body.code
    )
    return RecoveryCodes(recovery_codes=codes)


@router.post("/api/v1/me/2fa/disable", status_code=204, responses=_CODE)
async def disable_two_factor(
    body: TwoFactorCode, principal: CurrentUser, runtime: RuntimeDep, session: DbSession
) -> Response:
    """Turn two-factor sign-in off (a current code or a recovery code is needed)."""
    await runtime.accounts.two_factor.disable(
        session, principal.user_id, body.code, principal.user_id
    )
    return Response(status_code=204)


@router.delete("/api/v1/admin/users/{user_id}/2fa", status_code=204)
async def reset_two_factor(
    user_id: uuid.UUID, admin: AdminUser, runtime: RuntimeDep, session: DbSession
) -> Response:
    """Turn a user's two-factor sign-in off (lost phone and codes); they enrol again."""
    await runtime.accounts.two_factor.disable(session, user_id, None, admin.user_id)
    return Response(status_code=204)
