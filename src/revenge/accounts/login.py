"""Password sign-in: limits, verification, rehash, session creation, audit.

Unknown user, wrong password and disabled account give the same answer after the same work
(one argon2 verification), so the answer reveals nothing about which accounts exist.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.accounts import repository as repo
from revenge.accounts.audit import record_auth
from revenge.accounts.bruteforce import LoginLimiter, account_key
from revenge.accounts.models import User
from revenge.accounts.passwords import MAX_LENGTH, Passwords
from revenge.accounts.two_factor import TwoFactorService
from revenge.errors import AppError, TooManyRequests, Unauthorized
from revenge.identity.client import ClientInfo, DeviceInfo

if TYPE_CHECKING:
    from revenge.runtime import Runtime
    from revenge.sessions.service import IssuedSession, SessionService

BAD_CREDENTIALS = "Invalid username or password."


class SecondFactorRequired(Unauthorized):
    """The password was right; the sign-in needs `two_factor_code` too (sent again with it)."""

    slug = "second-factor-required"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, second_factor_required=True)


@dataclass(frozen=True)
class LoginOutcome:
    """Either a session or an error; failures are recorded, so the caller commits either way."""

    issued: IssuedSession | None = None
    user: User | None = None
    error: AppError | None = None


@dataclass(eq=False)
class LoginService:
    """Sign-in: password checks under the sign-in limits, and the session an authenticated
    user gets; every method runs in the caller's transaction."""

    runtime: Runtime
    passwords: Passwords
    sessions: SessionService
    limiter: LoginLimiter
    two_factor: TwoFactorService

    async def login(
        self,
        session: AsyncSession,
        username: str,
        password: str,
        client: ClientInfo,
        device: DeviceInfo | None = None,
        second_factor: str | None = None,
    ) -> LoginOutcome:
        account = account_key(username)
        user = await repo.by_username(session, username)
        refusal = await self.throttled(session, account, user, client, device)
        if refusal is not None:
            return LoginOutcome(error=refusal)
        ok, rehash = await self.passwords.verify(
            user.password_hash if user else None, password[: MAX_LENGTH + 1]
        )
        if user is None or not ok or user.disabled:
            await self.limiter.record_failure(session, account, client.ip)
            reason = "unknown_user" if user is None else "disabled" if ok else "bad_password"
            await self._audit_failure(session, user, account, client, reason)
            return LoginOutcome(error=Unauthorized(BAD_CREDENTIALS))
        factor = await self._second_factor(session, user, account, client, second_factor)
        if factor is not None:
            return LoginOutcome(error=factor)
        return LoginOutcome(
            issued=await self.sign_in(session, user, client, device, password if rehash else None),
            user=user,
        )

    async def _second_factor(
        self,
        session: AsyncSession,
        user: User,
        account: str,
        client: ClientInfo,
        code: str | None,
    ) -> AppError | None:
        """None when the user has no second factor or sent a right code; a wrong one counts
        as a failed sign-in."""
        if user.totp_enabled_at is None:
            return None
        if not code:
            return SecondFactorRequired("Enter the code from your authenticator app.")
        if await self.two_factor.check(session, user, code):
            return None
        await self.limiter.record_failure(session, account, client.ip)
        await self._audit_failure(session, user, account, client, "bad_second_factor")
        return SecondFactorRequired("The two-factor code is wrong.")

    async def throttled(
        self,
        session: AsyncSession,
        account: str,
        user: User | None,
        client: ClientInfo,
        device: DeviceInfo | None = None,
        action: str = "login_failed",
    ) -> TooManyRequests | None:
        """The 429 when this caller must wait (recorded in the account's activity), else None."""
        known = user is not None and await self.sessions.signed_in_before(
            session, user.id, device.device_id if device else None, client.ip
        )
        wait = await self.limiter.retry_after(session, account, client.ip, known_device=known)
        if wait is None:
            return None
        await self._audit_failure(session, user, account, client, "rate_limited", action)
        return TooManyRequests("Too many failed attempts; try again later.", wait)

    async def reauthenticate(
        self, session: AsyncSession, user_id: uuid.UUID, password: str, client: ClientInfo
    ) -> AppError | None:
        """Check a signed-in user's password again (before changing it), under the sign-in
        limits: a stolen session cannot guess the password faster than a sign-in could."""
        user = await repo.get(session, user_id)
        if user is None:
            return Unauthorized("No such user.")
        account = account_key(user.username)
        action = "password_change_failed"
        refusal = await self.throttled(session, account, user, client, action=action)
        if refusal is not None:
            return refusal
        ok, _ = await self.passwords.verify(user.password_hash, password[: MAX_LENGTH + 1])
        if ok:
            return None
        await self.limiter.record_failure(session, account, client.ip)
        await self._audit_failure(session, user, account, client, "bad_password", action)
        return Unauthorized("The current password is wrong.")

    async def sign_in(
        self,
        session: AsyncSession,
        user: User,
        client: ClientInfo,
        device: DeviceInfo | None,
        rehash_password: str | None = None,
        method: str = "password",
    ) -> IssuedSession:
        """Open a session for an authenticated user (password or OIDC) and record it."""
        if rehash_password is not None:
            user.password_hash = await self.passwords.hash(rehash_password)
        user.last_login_at = datetime.now(UTC)
        issued = await self.sessions.create(
            session, user_id=user.id, client=client, device=device, auth_method=method
        )
        await record_auth(
            self.runtime,
            session,
            "login",
            user_id=user.id,
            client=client,
            resource_type="session",
            resource_id=str(issued.session.id),
            details={"method": method},
        )
        return issued

    async def _audit_failure(
        self,
        session: AsyncSession,
        user: User | None,
        account: str,
        client: ClientInfo,
        reason: str,
        action: str = "login_failed",
    ) -> None:
        await record_auth(
            self.runtime,
            session,
            action,
            user_id=user.id if user else None,
            client=client,
            details={"username": account, "reason": reason},
            success=False,
            error=reason,
        )
