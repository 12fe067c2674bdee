"""The session service: create, validate, refresh, list, invalidate, update activity.

Revocation always wins over the cache. A validation that reads the database share-locks the
session and user rows and writes the cache entry before its transaction ends; every revoke
(and every change to the user) updates those rows first, so it waits for such a read to finish
and evicts the entry after it. Evictions reach other nodes through the cache's pub/sub
broadcast; while Redis is unreachable no node trusts its in-process tier at all.

A revoke made while Redis is unreachable cannot delete the Redis copy, and a Redis that was
only partitioned away comes back still holding it. So every revocation (and every change to a
user that cached entries describe) also bumps one counter in PostgreSQL, `session_epoch`, in
its own transaction; each cache entry carries the epoch it was read at, and an entry older
than the current epoch is read again from the database. A node reads the epoch at most
EPOCH_CHECK_SECONDS after its last read (one tiny query a second per node, not per request),
so a revocation wins on every node, whatever any cache holds, within that second. Pub/sub
evictions still make revocations visible at once while Redis is reachable.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from revenge.accounts.audit import record_auth
from revenge.identity.client import ClientInfo, DeviceInfo
from revenge.identity.credentials import JsonCredential
from revenge.identity.tokens import (
    REFRESH_PREFIX,
    SESSION_PREFIX,
    new_token,
    token_hash,
    well_formed,
)
from revenge.sessions import repository as repo
from revenge.sessions.models import Session
from revenge.sessions.policy import EPOCH_CHECK_SECONDS, SessionPolicy, session_policy

if TYPE_CHECKING:
    from revenge.runtime import Runtime

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SessionIdentity(JsonCredential):
    """A valid session as validate returns it (and as it is cached)."""

    prefix = SESSION_PREFIX
    cache_namespace = "session"
    uuid_fields = ("session_id", "user_id")

    session_id: uuid.UUID
    user_id: uuid.UUID
    username: str
    role: str
    expires_at: float
    last_activity_at: float
    epoch: int = 0
    # Signed in with a password and a second factor, or through an identity provider.
    second_factor: bool = False

    @property
    def credential_id(self) -> uuid.UUID:
        return self.session_id

    def usable(self, now: float, idle_timeout: float) -> bool:
        return now < self.expires_at and now - self.last_activity_at <= idle_timeout


@dataclass(frozen=True)
class IssuedSession:
    """A new or rotated session with its secrets (shown to the client once)."""

    session: Session
    access_token: str
    refresh_token: str


class SessionService:
    """Session operations; methods taking an AsyncSession run in the caller's transaction."""

    def __init__(self, runtime: Runtime) -> None:
        self._rt = runtime
        self.store = SessionIdentity.store(self._load, repo.touch, runtime.cache, runtime.db)
        self._epoch = 0
        self._epoch_read_at = -EPOCH_CHECK_SECONDS

    async def policy(self) -> SessionPolicy:
        return await session_policy(self._rt)

    async def create(
        self,
        session: AsyncSession,
        *,
        user_id: uuid.UUID,
        client: ClientInfo,
        device: DeviceInfo | None = None,
        auth_method: str = "password",
    ) -> IssuedSession:
        """Open a session on sign-in; the oldest sessions beyond the per-user limit end."""
        policy = await self.policy()
        device = device or DeviceInfo()
        access, refresh = new_token(SESSION_PREFIX), new_token(REFRESH_PREFIX)
        row = await repo.insert_session(
            session,
            {
                "user_id": user_id,
                "token_hash": token_hash(access),
                "refresh_token_hash": token_hash(refresh),
                "device_id": device.device_id,
                "device_name": device.device_name,
                "client_name": device.client_name,
                "client_version": device.client_version,
                "ip_address": client.ip,
                "user_agent": client.user_agent,
                "auth_method": auth_method,
                "expires_at": datetime.now(UTC) + timedelta(seconds=policy.absolute_lifetime),
            },
        )
        self.store.mark_used(row.id)
        await self._rt.events.signed_in(
            session,
            user_id=user_id,
            device=device.device_id or client.user_agent,
            address=client.ip,
            description=device.device_name or device.client_name or "A browser or app",
        )
        extra = await repo.ids_beyond_limit(session, user_id, policy.max_per_user)
        if extra:
            await self._revoke(session, "session_limit", Session.id.in_(extra))
        return IssuedSession(row, access, refresh)

    async def validate(self, token: str, *, ip: str | None = None) -> SessionIdentity | None:
        """The session a token belongs to, if usable: cache first, then the database."""
        if not self.store.well_formed(token):
            return None
        policy = await self.policy()

        def usable(found: SessionIdentity, now: float) -> bool:
            return found.usable(now, policy.idle_timeout)

        async def still_current(found: SessionIdentity) -> bool:
            return found.epoch >= await self.current_epoch()

        identity = await self.store.lookup(token, usable, still_current)
        if identity is not None:
            await self.update_activity(identity.session_id, ip)
        return identity

    async def _load(self, conn: AsyncConnection, digest: bytes) -> SessionIdentity | None:
        row = await repo.validation_row(conn, digest)
        if row is None or row.disabled:
            return None
        identity = SessionIdentity(
            session_id=row.id,
            user_id=row.user_id,
            username=row.username,
            role=row.role,
            expires_at=row.expires_at.timestamp(),
            last_activity_at=row.last_activity_at.timestamp(),
            epoch=int(row.epoch or 0),
            second_factor=row.auth_method != "password" or row.totp_enabled_at is not None,
        )
        self._epoch = max(self._epoch, identity.epoch)
        return identity

    async def current_epoch(self) -> int:
        """The revocation epoch, read from PostgreSQL at most every EPOCH_CHECK_SECONDS."""
        if time.monotonic() - self._epoch_read_at >= EPOCH_CHECK_SECONDS:
            self._epoch_read_at = time.monotonic()
            try:
                async with self._rt.db.engine.connect() as conn:
                    self._epoch = await repo.current_epoch(conn)
            except (SQLAlchemyError, OSError, TimeoutError) as exc:
                # No revocation can commit while the database is unreachable either: the
                # last epoch read stays right until it is back.
                log.warning("session epoch unavailable, using the last one read: %s", exc)
        return self._epoch

    async def signed_in_before(
        self, session: AsyncSession, user_id: uuid.UUID, device_id: str | None, ip: str | None
    ) -> bool:
        """Whether a session of the user came from this device id or address (see the
        repository): the sign-in limiter is gentler with a likely owner."""
        return await repo.signed_in_before(session, user_id, device_id, ip)

    async def refresh(
        self, session: AsyncSession, refresh_token: str, client: ClientInfo
    ) -> IssuedSession | None:
        """Rotate both tokens; a refresh token used twice ends its session. None: refused."""
        if not well_formed(refresh_token, REFRESH_PREFIX):
            return None
        digest = token_hash(refresh_token)
        found = await repo.by_refresh_hash(session, digest)
        if found is None:
            owner = await repo.retired_owner(session, digest)
            if owner is not None:
                await self.invalidate(session, owner, reason="refresh_reuse", client=client)
            return None
        row, disabled = found
        now, policy = time.time(), await self.policy()
        idle = now - row.last_activity_at.timestamp() > policy.idle_timeout
        if disabled or idle or row.expires_at.timestamp() <= now:
            return None
        access, refresh = new_token(SESSION_PREFIX), new_token(REFRESH_PREFIX)
        old_hash = row.token_hash
        await repo.rotate(session, row, token_hash(access), token_hash(refresh), client.ip)
        await self.store.evict([old_hash])
        await session.refresh(row)
        return IssuedSession(row, access, refresh)

    async def end_by_refresh(
        self, session: AsyncSession, refresh_token: str, client: ClientInfo
    ) -> bool:
        """Sign out the session a refresh token belongs to (the web app's cookie)."""
        if not well_formed(refresh_token, REFRESH_PREFIX):
            return False
        found = await repo.by_refresh_hash(session, token_hash(refresh_token))
        if found is None:
            return False
        return await self.invalidate(session, found[0].id, client=client)

    async def invalidate(
        self,
        session: AsyncSession,
        session_id: uuid.UUID,
        *,
        user_id: uuid.UUID | None = None,
        reason: str = "logout",
        client: ClientInfo | None = None,
    ) -> bool:
        """End one session (only the given user's, when user_id is set)."""
        conditions: list[Any] = [Session.id == session_id]
        if user_id is not None:
            conditions.append(Session.user_id == user_id)
        revoked = await self._revoke(session, reason, *conditions)
        if revoked:
            await self._audit(session, revoked[0][1], reason, 1, client, session_id)
        return bool(revoked)

    async def invalidate_all(
        self,
        session: AsyncSession,
        user_id: uuid.UUID,
        *,
        reason: str = "revoked",
        keep: uuid.UUID | None = None,
        client: ClientInfo | None = None,
    ) -> int:
        """End every session of a user, except `keep` (the caller's own) when given."""
        conditions: list[Any] = [Session.user_id == user_id]
        if keep is not None:
            conditions.append(Session.id != keep)
        hashes = await self._revoke(session, reason, *conditions)
        if hashes:
            await self._audit(session, user_id, reason, len(hashes), client)
        return len(hashes)

    async def list_active(self, session: AsyncSession, user_id: uuid.UUID) -> list[Session]:
        """A user's usable sessions, most recently active first."""
        rows: Sequence[Session] = await repo.active_for_user(session, user_id)
        now, idle = time.time(), (await self.policy()).idle_timeout
        return [r for r in rows if now - r.last_activity_at.timestamp() <= idle]

    async def get_active(
        self, session: AsyncSession, session_id: uuid.UUID, user_id: uuid.UUID | None
    ) -> Session | None:
        row = await repo.get_active(session, session_id)
        if row is None or (user_id is not None and row.user_id != user_id):
            return None
        return row

    async def update_activity(self, session_id: uuid.UUID, ip: str | None) -> bool:
        """Record use of a session: at most one database write a minute per session."""
        return await self.store.touch(session_id, ip)

    async def forget_cached(self, session: AsyncSession, user_id: uuid.UUID) -> None:
        """Drop a user's cached sessions (after a role change); call after updating the user."""
        hashes = await repo.active_token_hashes(session, user_id)
        await repo.bump_epoch(session)
        self._epoch_read_at = -EPOCH_CHECK_SECONDS
        await self._evict(hashes)

    async def cleanup(self, session: AsyncSession) -> int:
        """Delete sessions that ended more than a day ago (maintenance step)."""
        now = datetime.now(UTC)
        idle = timedelta(seconds=(await self.policy()).idle_timeout)
        return await repo.delete_finished(session, now - timedelta(days=1), now - idle)

    async def _revoke(
        self, session: AsyncSession, reason: str, *conditions: Any
    ) -> list[tuple[bytes, uuid.UUID]]:
        # The UPDATE takes the row locks first, so any validation caching this session
        # concurrently has finished before the eviction below.
        revoked = await repo.revoke(session, reason, *conditions)
        if revoked:
            await repo.bump_epoch(session)
            self._epoch_read_at = -EPOCH_CHECK_SECONDS  # read it again after this commits
        await self._evict([digest for digest, _ in revoked])
        # Their live-update streams check their session again and end if it was revoked.
        await self._rt.events.sessions_revoked(session, [user for _, user in revoked], reason)
        return revoked

    async def _evict(self, hashes: Sequence[bytes]) -> None:
        await self.store.evict(hashes)

    async def _audit(
        self,
        session: AsyncSession,
        user_id: uuid.UUID | None,
        reason: str,
        count: int,
        client: ClientInfo | None,
        session_id: uuid.UUID | None = None,
    ) -> None:
        await record_auth(
            self._rt,
            session,
            "logout" if reason == "logout" else "session_revoked",
            user_id=user_id,
            client=client,
            resource_type="session",
            resource_id=str(session_id) if session_id else None,
            details={"reason": reason, "count": count},
        )
