"""Users: first-run setup, admin management, one's own profile, password and library access."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Query, Response

from revenge.accounts.schemas import (
    LibraryAccessBody,
    PasswordChange,
    PasswordChanged,
    ProfileUpdate,
    SetupRequest,
    UserCreate,
    UserOut,
    UserPage,
    UserUpdate,
)
from revenge.accounts.service import NewUser
from revenge.api.deps import AdminUser, Client, CurrentUser, DbSession, ReadSession, RuntimeDep
from revenge.api.openapi import problem_responses

router = APIRouter(tags=["users"])

_NOT_NULL = ("username", "role", "disabled", "all_libraries", "password")


@router.post(
    "/api/v1/setup",
    status_code=201,
    responses=problem_responses({409: "Setup is complete: a user exists."}),
)
async def setup(body: SetupRequest, runtime: RuntimeDep, session: DbSession) -> UserOut:
    """Create the first administrator. Answers 409 once any user exists."""
    user = await runtime.accounts.users.setup(session, NewUser(**body.model_dump()))
    return UserOut.of(user)


@router.get("/api/v1/users/me")
async def read_me(principal: CurrentUser, runtime: RuntimeDep, session: ReadSession) -> UserOut:
    return UserOut.of(await runtime.accounts.users.get(session, principal.user_id))


@router.patch("/api/v1/users/me")
async def update_me(
    body: ProfileUpdate, principal: CurrentUser, runtime: RuntimeDep, session: DbSession
) -> UserOut:
    changes = body.model_dump(exclude_unset=True)
    return UserOut.of(await runtime.accounts.users.update_profile(session, principal, changes))


@router.post(
    "/api/v1/users/me/password",
    responses=problem_responses(
        {
            401: "The current password is wrong.",
            429: "Too many wrong passwords; retry after `Retry-After` seconds.",
        }
    ),
)
async def change_password(
    body: PasswordChange, principal: CurrentUser, runtime: RuntimeDep, client: Client
) -> PasswordChanged:
    """Needs the current password (wrong ones count toward the sign-in limits); by default
    ends every other session."""
    # Owns its transaction: a wrong password is recorded (limits, activity) and committed
    # before the refusal is returned.
    async with runtime.db.transaction() as session:
        refusal = await runtime.accounts.logins.reauthenticate(
            session, principal.user_id, body.current_password, client
        )
        if refusal is None:
            ended = await runtime.accounts.users.change_password(
                session,
                principal,
                body.new_password,
                end_other_sessions=body.end_other_sessions,
                client=client,
            )
            return PasswordChanged(ended_sessions=ended)
    raise refusal


@router.get("/api/v1/users")
async def list_users(
    _: AdminUser,
    runtime: RuntimeDep,
    session: DbSession,
    limit: int = Query(100, ge=1, le=500),
    offset: int = Query(0, ge=0, le=10_000_000),
) -> UserPage:
    users, total = await runtime.accounts.users.list_users(session, limit, offset)
    return UserPage(items=[UserOut.of(u) for u in users], total=total)


@router.post(
    "/api/v1/users",
    status_code=201,
    responses=problem_responses({409: "The username is taken."}),
)
async def create_user(
    body: UserCreate, _: AdminUser, runtime: RuntimeDep, session: DbSession
) -> UserOut:
    user = await runtime.accounts.users.create(session, NewUser(**body.model_dump()))
    return UserOut.of(user)


@router.get("/api/v1/users/{user_id}")
async def read_user(
    user_id: uuid.UUID, _: AdminUser, runtime: RuntimeDep, session: DbSession
) -> UserOut:
    return UserOut.of(await runtime.accounts.users.get(session, user_id))


@router.patch(
    "/api/v1/users/{user_id}",
    responses=problem_responses(
        {409: "The username is taken, or this is the last enabled administrator."}
    ),
)
async def update_user(
    user_id: uuid.UUID,
    body: UserUpdate,
    admin: AdminUser,
    runtime: RuntimeDep,
    session: DbSession,
) -> UserOut:
    """Change profile, role, disabled (ends the user's sessions at once) or password."""
    changes: dict[str, Any] = {
        k: v
        for k, v in body.model_dump(exclude_unset=True).items()
        if v is not None or k not in _NOT_NULL
    }
    updated = await runtime.accounts.users.update(session, user_id, changes, admin)
    if {"role", "all_libraries"} & changes.keys():
        await runtime.events.access_changed(session, user_id)
    return UserOut.of(updated)


@router.delete(
    "/api/v1/users/{user_id}",
    status_code=204,
    responses=problem_responses({409: "This is the last enabled administrator."}),
)
async def delete_user(
    user_id: uuid.UUID, admin: AdminUser, runtime: RuntimeDep, session: DbSession
) -> Response:
    await runtime.accounts.users.delete(session, user_id, admin)
    return Response(status_code=204)


@router.get("/api/v1/users/{user_id}/libraries")
async def read_library_access(
    user_id: uuid.UUID, _: AdminUser, runtime: RuntimeDep, session: DbSession
) -> LibraryAccessBody:
    everything, ids = await runtime.accounts.users.library_access(session, user_id)
    return LibraryAccessBody(all_libraries=everything, library_ids=ids)


@router.put("/api/v1/users/{user_id}/libraries")
async def set_library_access(
    user_id: uuid.UUID,
    body: LibraryAccessBody,
    _: AdminUser,
    runtime: RuntimeDep,
    session: DbSession,
) -> LibraryAccessBody:
    """Which libraries the user sees: all of them, or only those listed."""
    await runtime.accounts.users.set_library_access(
        session, user_id, body.all_libraries, body.library_ids
    )
    await runtime.events.access_changed(session, user_id)
    everything, ids = await runtime.accounts.users.library_access(session, user_id)
    return LibraryAccessBody(all_libraries=everything, library_ids=ids)
