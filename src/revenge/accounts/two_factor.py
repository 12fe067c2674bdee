"""Two-factor sign-in: TOTP (RFC 6238, via pyotp) and ten single-use recovery codes.

Enrolment is two steps: `begin` stores a new secret (sealed with the server's secret box)
as pending and returns it with its `otpauth://` provisioning URI (what a QR code encodes);
`confirm` turns it on once the user proves their authenticator app shows the right code, and
returns the recovery codes, shown only then (stored as SHA-256 digests of 60 random bits).

At password sign-in a user with two factors on must also send a code: a TOTP code (30 s
steps, one step of clock drift either way; each code is accepted once, so one seen over a
shoulder or in a log cannot be replayed) or an unused recovery code. Wrong codes count
toward the sign-in limits like wrong passwords (see accounts.login). Sign-in through an
identity provider (OIDC) is not asked for a code: the provider decides its own factors.

With the server setting `auth.require_2fa_for_admins` on, an administrator whose session was
opened with a password alone keeps their account but cannot use administrator actions until
they turn two factors on (see accounts.authenticator).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pyotp
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.accounts import repository as users_repo
from revenge.accounts import two_factor_repository as repo
from revenge.accounts.audit import record_auth
from revenge.accounts.models import User
from revenge.errors import BadRequest, Conflict, NotFound

if TYPE_CHECKING:
    from revenge.runtime import Runtime
    from revenge.sessions.service import SessionService

ISSUER = "Revenge"
RECOVERY_CODES = 10
REQUIRE_FOR_ADMINS = "auth.require_2fa_for_admins"
# Recovery codes: 12 characters from an alphabet without look-alikes, shown as xxxx-xxxx-xxxx.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_CODE_LENGTH = 12


@dataclass(frozen=True)
class Enrolment:
    secret: str
    provisioning_uri: str


def _normalise(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def code_hash(code: str) -> bytes:
    return hashlib.sha256(_normalise(code).encode()).digest()


def new_recovery_codes() -> list[str]:
    codes = [
        "".join(secrets.choice(_ALPHABET) for _ in range(_CODE_LENGTH))
        for _ in range(RECOVERY_CODES)
    ]
    return ["-".join(c[i : i + 4] for i in range(0, _CODE_LENGTH, 4)) for c in codes]


def _matching_step(secret: str, code: str) -> int | None:
    """The time step (now, or one either side for clock drift) whose code this is."""
    totp = pyotp.TOTP(secret)
    now = datetime.now(UTC)
    current = totp.timecode(now)
    for offset in (0, -1, 1):
        # Bytes: compare_digest refuses str with non-ASCII characters, which a caller may send.
        if hmac.compare_digest(totp.at(now, counter_offset=offset).encode(), code.encode()):
            return current + offset
    return None


class TwoFactorService:
    """Every method runs in the caller's transaction."""

    def __init__(self, runtime: Runtime, sessions: SessionService) -> None:
        self._rt = runtime
        self._sessions = sessions

    def _seal(self, secret: str) -> str:
        return self._rt.secrets.encrypt(secret.encode()).decode()

    def _secret(self, user: User) -> str | None:
        if user.totp_secret_encrypted is None:
            return None
        return self._rt.secrets.decrypt(user.totp_secret_encrypted.encode()).decode()

    async def _user(self, session: AsyncSession, user_id: uuid.UUID) -> User:
        user = await users_repo.get(session, user_id)
        if user is None:
            raise NotFound("No such user.")
        return user

    async def begin(self, session: AsyncSession, user_id: uuid.UUID) -> Enrolment:
        """A new pending secret (replacing any earlier pending one)."""
        user = await self._user(session, user_id)
        if user.totp_enabled_at is not None:
            raise Conflict("Two-factor sign-in is already on; turn it off first.")
        secret = pyotp.random_base32()
        await repo.set_secret(session, user.id, self._seal(secret), enabled=False)
        uri = pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)
        return Enrolment(secret, uri)

    async def confirm(self, session: AsyncSession, user_id: uuid.UUID, code: str) -> list[str]:
        """Turn two factors on when `code` matches the pending secret; the recovery codes."""
        user = await self._user(session, user_id)
        secret = self._secret(user)
        if user.totp_enabled_at is not None:
            raise Conflict("Two-factor sign-in is already on.")
        if secret is None:
            raise Conflict("Start with POST /api/v1/me/2fa/setup.")
        step = _matching_step(secret, _normalise(code))
        if step is None:
            raise BadRequest("The code does not match; check the authenticator app's clock.")
        await repo.enable(session, user.id)
        await repo.claim_step(session, user.id, step)
        codes = await self._new_codes(session, user.id)
        await self._changed(session, user.id, "2fa_enabled", user.id)
        return codes

    async def check(self, session: AsyncSession, user: User, code: str) -> bool:
        """Whether `code` is the user's current TOTP code or an unused recovery code (which
        is used up)."""
        secret = self._secret(user)
        if secret is None or user.totp_enabled_at is None:
            return False
        plain = _normalise(code)
        if plain.isdigit():
            step = _matching_step(secret, plain)
            return step is not None and await repo.claim_step(session, user.id, step)
        return len(plain) == _CODE_LENGTH and await repo.use_code(
            session, user.id, code_hash(plain)
        )

    async def regenerate_codes(
        self, session: AsyncSession, user_id: uuid.UUID, code: str
    ) -> list[str]:
        user = await self._user(session, user_id)
        if user.totp_enabled_at is None:
            raise Conflict("Two-factor sign-in is off.")
        if not await self.check(session, user, code):
            raise BadRequest("The code does not match.")
        codes = await self._new_codes(session, user.id)
        await self._changed(session, user.id, "2fa_recovery_codes_renewed", user.id)
        return codes

    async def disable(
        self, session: AsyncSession, user_id: uuid.UUID, code: str | None, actor: uuid.UUID
    ) -> None:
        """Turn two factors off: by the user with a valid code, or by an admin (`code=None`)."""
        user = await self._user(session, user_id)
        if code is not None and not await self.check(session, user, code):
            raise BadRequest("The code does not match.")
        await repo.set_secret(session, user.id, None, enabled=False)
        await repo.replace_codes(session, user.id, [])
        action = "2fa_disabled" if actor == user_id else "2fa_reset"
        await self._changed(session, user.id, action, actor)

    async def status(self, session: AsyncSession, user_id: uuid.UUID) -> tuple[User, int]:
        user = await self._user(session, user_id)
        return user, await repo.codes_left(session, user.id)

    async def _new_codes(self, session: AsyncSession, user_id: uuid.UUID) -> list[str]:
        codes = new_recovery_codes()
        await repo.replace_codes(session, user_id, [code_hash(c) for c in codes])
        return codes

    async def _changed(
        self, session: AsyncSession, user_id: uuid.UUID, action: str, actor: uuid.UUID
    ) -> None:
        # Cached sessions carry "signed in with two factors": read them again.
        await self._sessions.forget_cached(session, user_id)
        await record_auth(
            self._rt, session, action, user_id=actor, resource_type="user", resource_id=str(user_id)
        )
