"""Open registration: people create their own (non-admin) account when an admin allows it.

Off by default (`auth.registration_enabled`). With `auth.registration_invite_code` set, the
code must be given too. New accounts follow the same rules as any other: the username and
password policy, and the sign-in brute-force limits, which count every wrong invite code
against the caller's address (so codes cannot be guessed faster than passwords). A new
account is a plain user who sees every library, like one an admin creates with the defaults.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.accounts.audit import record_auth
from revenge.accounts.bruteforce import account_key
from revenge.accounts.schemas import (
    SetupRequest,
    UserOut,
)
from revenge.accounts.service import NewUser
from revenge.errors import AppError, Forbidden, TooManyRequests
from revenge.identity.client import ClientInfo

if TYPE_CHECKING:
    from revenge.runtime import Runtime

ENABLED = "auth.registration_enabled"
INVITE_CODE = "auth.registration_invite_code"


class RegisterRequest(SetupRequest):
    invite_code: str | None = Field(None, max_length=200)


@dataclass
class Registered:
    user: UserOut | None = None
    error: AppError | None = None


async def _refusal(
    runtime: Runtime, session: AsyncSession, body: RegisterRequest, client: ClientInfo
) -> AppError | None:
    """Why this caller may not register now, or None."""
    if not await runtime.server_settings.get(ENABLED):
        return Forbidden("Registration is closed: ask an administrator for an account.")
    limiter = runtime.accounts.logins.limiter
    # Keyed like a sign-in of a would-be account, plus the caller's address.
    account = account_key(f"register:{body.username}")
    wait = await limiter.retry_after(session, account, client.ip)
    if wait is not None:
        return TooManyRequests("Too many failed attempts; try again later.", retry_after=wait)
    expected = str(await runtime.server_settings.get(INVITE_CODE) or "")
    given = (body.invite_code or "").encode()
    if expected and not hmac.compare_digest(given, expected.encode()):
        await limiter.record_failure(session, account, client.ip)
        await record_auth(
            runtime, session, "user.register_failed", user_id=None,
            details={"username": body.username, "reason": "invite_code"}, ip_address=client.ip,
        )  # fmt: skip
        return Forbidden("The invite code is wrong.", field="invite_code")
    return None


async def register_user(
    runtime: Runtime, session: AsyncSession, body: RegisterRequest, client: ClientInfo
) -> Registered:
    refusal = await _refusal(runtime, session, body, client)
    if refusal is not None:
        return Registered(error=refusal)
    new = NewUser(body.username, body.password, "user", body.email, body.display_name)
    user = await runtime.accounts.users.create(session, new)
    await record_auth(
        runtime, session, "user.registered", user_id=user.id,
        resource_type="user", resource_id=str(user.id), ip_address=client.ip,
    )  # fmt: skip
    return Registered(user=UserOut.of(user))
