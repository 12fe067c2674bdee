"""Session API: one's own sessions, and every user's for administrators.

A session that is not the caller's answers 404, exactly like one that does not exist.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from revenge.api.deps import AdminUser, Client, CurrentUser, DbSession, RuntimeDep
from revenge.api.openapi import problem_responses
from revenge.errors import NotFound, must_exist
from revenge.sessions.schemas import ActivityRecorded, RevokedCount, SessionOut

router = APIRouter(tags=["sessions"])


@router.get("/api/v1/sessions")
async def list_my_sessions(
    principal: CurrentUser, runtime: RuntimeDep, session: DbSession
) -> list[SessionOut]:
    """The caller's active sessions; the one making this request is marked `current`."""
    rows = await runtime.accounts.sessions.list_active(session, principal.user_id)
    return [SessionOut.of(r, principal.session_id) for r in rows]


_SESSION_ONLY = problem_responses(
    {404: "The request is authenticated otherwise than with a session token."}
)


def _current_session_id(principal: CurrentUser) -> uuid.UUID:
    if principal.session_id is None:
        raise NotFound("No current session: the request is not made with a session token.")
    return principal.session_id


CurrentSessionId = Annotated[uuid.UUID, Depends(_current_session_id)]


@router.get("/api/v1/sessions/current", responses=_SESSION_ONLY)
async def current_session(
    principal: CurrentUser, current: CurrentSessionId, runtime: RuntimeDep, session: DbSession
) -> SessionOut:
    """Validate the calling session token and describe it."""
    row = await runtime.accounts.sessions.get_active(session, current, principal.user_id)
    return SessionOut.of(must_exist(row, "No such session."), current)


@router.post("/api/v1/sessions/current/activity", responses=_SESSION_ONLY)
async def record_activity(
    current: CurrentSessionId, runtime: RuntimeDep, client: Client
) -> ActivityRecorded:
    """Mark the calling session as in use (written at most once a minute)."""
    written = await runtime.accounts.sessions.update_activity(current, client.ip)
    return ActivityRecorded(written=written)


async def _end_own(
    runtime: RuntimeDep, session: DbSession, principal: CurrentUser, client: Client,
    reason: str, keep: uuid.UUID | None = None,
) -> RevokedCount:  # fmt: skip
    """End the caller's sessions but `keep`, audited as `reason`."""
    count = await runtime.accounts.sessions.invalidate_all(
        session, principal.user_id, reason=reason, keep=keep, client=client
    )
    return RevokedCount(revoked=count)


@router.post("/api/v1/sessions/revoke-others")
async def revoke_other_sessions(
    principal: CurrentUser, runtime: RuntimeDep, session: DbSession, client: Client
) -> RevokedCount:
    """End every session of the caller except the current one."""
    return await _end_own(
        runtime, session, principal, client, "revoked_others", principal.session_id
    )


@router.delete("/api/v1/sessions")
async def revoke_all_my_sessions(
    principal: CurrentUser, runtime: RuntimeDep, session: DbSession, client: Client
) -> RevokedCount:
    """End every session of the caller, this one included."""
    return await _end_own(runtime, session, principal, client, "revoked_all")


@router.get("/api/v1/sessions/{session_id}")
async def read_my_session(
    session_id: uuid.UUID, principal: CurrentUser, runtime: RuntimeDep, session: DbSession
) -> SessionOut:
    row = await runtime.accounts.sessions.get_active(session, session_id, principal.user_id)
    if row is None:
        raise NotFound("No such session.")
    return SessionOut.of(row, principal.session_id)


@router.delete("/api/v1/sessions/{session_id}", status_code=204)
async def revoke_my_session(
    session_id: uuid.UUID,
    principal: CurrentUser,
    runtime: RuntimeDep,
    session: DbSession,
    client: Client,
) -> Response:
    ended = await runtime.accounts.sessions.invalidate(
        session, session_id, user_id=principal.user_id, reason="revoked", client=client
    )
    if not ended:
        raise NotFound("No such session.")
    return Response(status_code=204)


@router.get("/api/v1/admin/users/{user_id}/sessions")
async def list_user_sessions(
    user_id: uuid.UUID, _: AdminUser, runtime: RuntimeDep, session: DbSession
) -> list[SessionOut]:
    await runtime.accounts.users.get(session, user_id)
    rows = await runtime.accounts.sessions.list_active(session, user_id)
    return [SessionOut.of(r, None) for r in rows]


@router.delete("/api/v1/admin/users/{user_id}/sessions")
async def revoke_user_sessions(
    user_id: uuid.UUID, _: AdminUser, runtime: RuntimeDep, session: DbSession, client: Client
) -> RevokedCount:
    await runtime.accounts.users.get(session, user_id)
    count = await runtime.accounts.sessions.invalidate_all(
        session, user_id, reason="revoked_by_admin", client=client
    )
    return RevokedCount(revoked=count)


@router.delete("/api/v1/admin/sessions/{session_id}", status_code=204)
async def revoke_any_session(
    session_id: uuid.UUID, _: AdminUser, runtime: RuntimeDep, session: DbSession, client: Client
) -> Response:
    ended = await runtime.accounts.sessions.invalidate(
        session, session_id, reason="revoked_by_admin", client=client
    )
    if not ended:
        raise NotFound("No such session.")
    return Response(status_code=204)
