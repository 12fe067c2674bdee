"""Users: first-run setup, admin management, one's own profile and password, library access.

Any change that affects what a user's credentials may do (disable, role, delete) updates the
user row first and then evicts the user's cached sessions and keys, so it takes effect at once.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.accounts import repository as repo
from revenge.accounts.models import User
from revenge.accounts.passwords import Passwords, check_policy
from revenge.accounts.schemas import USERNAME_PATTERN
from revenge.activity.seam import record
from revenge.errors import Conflict, NotFound, Unprocessable
from revenge.identity import Principal
from revenge.identity.client import ClientInfo

if TYPE_CHECKING:
    from revenge.access_keys.service import AccessKeyService
    from revenge.libraries.scope import LibraryScopes
    from revenge.runtime import Runtime
    from revenge.sessions.service import SessionService

ROLES = ("admin", "user")
_USERNAME = re.compile(USERNAME_PATTERN)


def check_username(username: str) -> str:
    if not _USERNAME.fullmatch(username):
        raise Unprocessable(
            "A username is 1 to 64 printable characters, without surrounding spaces.",
            field="username",
        )
    return username


class LibraryGrants(Protocol):
    """The libraries a user is granted (the libraries feature's table, above this one in the
    layer order; the composition root passes `revenge.libraries.repository`)."""

    async def user_library_ids(
        self, session: AsyncSession, user_id: uuid.UUID
    ) -> list[uuid.UUID]: ...

    async def existing_library_ids(
        self, session: AsyncSession, ids: Sequence[uuid.UUID]
    ) -> set[uuid.UUID]: ...

    async def replace_library_access(
        self, session: AsyncSession, user_id: uuid.UUID, ids: Sequence[uuid.UUID]
    ) -> None: ...


@dataclass(frozen=True)
class NewUser:
    username: str
    password: str | None
    role: str = "user"
    email: str | None = None
    display_name: str | None = None
    all_libraries: bool = True


@dataclass(eq=False)
class UserService:
    """User operations; every method runs in the caller's transaction."""

    runtime: Runtime
    passwords: Passwords
    sessions: SessionService
    keys: AccessKeyService
    grants: LibraryGrants
    scopes: LibraryScopes

    async def setup(self, session: AsyncSession, new: NewUser) -> User:
        """Create the first administrator; refused once any user exists."""
        await repo.lock_accounts(session)
        if await repo.any_user(session):
            raise Conflict("Setup is complete: an administrator already exists.")
        return await self.create(session, NewUser(**{**new.__dict__, "role": "admin"}))

    async def create(self, session: AsyncSession, new: NewUser) -> User:
        check_username(new.username)
        if new.role not in ROLES:
            raise Unprocessable("The role must be admin or user.", field="role")
        password_hash = None
        if new.password is not None:
            check_policy(new.password)
            password_hash = await self.passwords.hash(new.password)
        if await repo.username_taken(session, new.username):
            raise Conflict(f"The username {new.username!r} is taken.")
        return await repo.insert(
            session,
            User(
                username=new.username,
                password_hash=password_hash,
                role=new.role,
                email=new.email,
                display_name=new.display_name,
                all_libraries=new.all_libraries,
            ),
        )

    async def get(self, session: AsyncSession, user_id: uuid.UUID) -> User:
        user = await repo.get(session, user_id)
        if user is None:
            raise NotFound("No such user.")
        return user

    async def list_users(
        self, session: AsyncSession, limit: int, offset: int
    ) -> tuple[Sequence[User], int]:
        return await repo.list_users(session, limit, offset), await repo.count_users(session)

    async def update(
        self, session: AsyncSession, user_id: uuid.UUID, changes: dict[str, Any], actor: Principal
    ) -> User:
        """Admin update: profile, role, disabled, password, all_libraries."""
        user = await repo.get(session, user_id, lock=True)
        if user is None:
            raise NotFound("No such user.")
        if "username" in changes and changes["username"].lower() != user.username.lower():
            check_username(changes["username"])
            if await repo.username_taken(session, changes["username"]):
                raise Conflict(f"The username {changes['username']!r} is taken.")
        if changes.get("role", user.role) not in ROLES:
            raise Unprocessable("The role must be admin or user.", field="role")
        demoted = changes.get("role", user.role) != "admin" or changes.get("disabled", False)
        if user.role == "admin" and not user.disabled and demoted:
            await self._keep_one_admin(session, user.id)
        password = changes.pop("password", None)
        if password is not None:
            check_policy(password)
            user.password_hash = await self.passwords.hash(password)
        for field, value in changes.items():
            setattr(user, field, value)
        await session.flush()
        if changes.get("disabled") or password is not None:
            reason = "user_disabled" if changes.get("disabled") else "password_reset"
            await self.sessions.invalidate_all(session, user.id, reason=reason)
        await self._forget_cached(session, user.id)
        await self._audit(session, actor, "user_updated", user, sorted(changes))
        return user

    async def delete(self, session: AsyncSession, user_id: uuid.UUID, actor: Principal) -> None:
        user = await repo.get(session, user_id, lock=True)
        if user is None:
            raise NotFound("No such user.")
        if user.role == "admin" and not user.disabled:
            await self._keep_one_admin(session, user.id)
        await self.sessions.invalidate_all(session, user.id, reason="user_deleted")
        await self._forget_cached(session, user.id)
        await repo.delete_user(session, user)
        await self._audit(session, actor, "user_deleted", user, [])

    async def update_profile(
        self, session: AsyncSession, principal: Principal, changes: dict[str, Any]
    ) -> User:
        """One's own email and display name."""
        user = await self.get(session, principal.user_id)
        for field in ("email", "display_name"):
            if field in changes:
                setattr(user, field, changes[field])
        await session.flush()
        return user

    async def change_password(
        self,
        session: AsyncSession,
        principal: Principal,
        new: str,
        *,
        end_other_sessions: bool,
        client: ClientInfo | None = None,
    ) -> int:
        """Change one's own password (the caller checked the current one: see
        `LoginService.reauthenticate`); returns how many other sessions were ended."""
        user = await repo.get(session, principal.user_id, lock=True)
        if user is None:
            raise NotFound("No such user.")
        check_policy(new)
        user.password_hash = await self.passwords.hash(new)
        await session.flush()
        await self._audit(session, principal, "password_changed", user, [])
        if not end_other_sessions:
            return 0
        return await self.sessions.invalidate_all(
            session, user.id, reason="revoked_others", keep=principal.session_id, client=client
        )

    async def library_access(
        self, session: AsyncSession, user_id: uuid.UUID
    ) -> tuple[bool, list[uuid.UUID]]:
        user = await self.get(session, user_id)
        return user.all_libraries, await self.grants.user_library_ids(session, user_id)

    async def set_library_access(
        self,
        session: AsyncSession,
        user_id: uuid.UUID,
        all_libraries: bool,
        library_ids: Sequence[uuid.UUID],
    ) -> None:
        # Locked first, evicted after: see libraries.scope.
        user = await repo.get(session, user_id, lock=True)
        if user is None:
            raise NotFound("No such user.")
        wanted = list(dict.fromkeys(library_ids))
        missing = set(wanted) - await self.grants.existing_library_ids(session, wanted)
        if missing:
            raise Unprocessable(f"No such library: {sorted(map(str, missing))[0]}.")
        user.all_libraries = all_libraries
        await self.grants.replace_library_access(session, user_id, wanted)
        await self.scopes.forget(user_id)

    async def apply_role(self, session: AsyncSession, user: User, role: str) -> None:
        """Set a role from an identity provider's groups; the last admin is never demoted."""
        if role == user.role:
            return
        if role != "admin" and await repo.other_active_admins(session, user.id) == 0:
            return
        user.role = role
        await session.flush()
        await self._forget_cached(session, user.id)

    async def _keep_one_admin(self, session: AsyncSession, user_id: uuid.UUID) -> None:
        await repo.lock_accounts(session)
        if await repo.other_active_admins(session, user_id) == 0:
            raise Conflict("This is the last enabled administrator.")

    async def _forget_cached(self, session: AsyncSession, user_id: uuid.UUID) -> None:
        await self.sessions.forget_cached(session, user_id)
        await self.keys.forget_cached(session, user_id)
        await self.scopes.forget(user_id)

    async def _audit(
        self, session: AsyncSession, actor: Principal, action: str, user: User, fields: list[str]
    ) -> None:
        await record(
            self.runtime,
            session,
            user_id=actor.user_id,
            module="users",
            action=action,
            resource_type="user",
            resource_id=str(user.id),
            details={"username": user.username, "fields": fields},
        )
