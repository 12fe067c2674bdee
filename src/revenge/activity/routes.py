"""Activity-log API: the caller's own activity, and everything for admins."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from revenge.activity import repository as repo
from revenge.activity.schemas import ActivityOut, ActivityPage, decode_cursor, encode_cursor
from revenge.api.deps import AdminUser, CurrentUser, DbSession
from revenge.api.params import DateTimeParam, known_query_keys

router = APIRouter(tags=["activity"], dependencies=[Depends(known_query_keys)])

Limit = Annotated[int, Query(ge=1, le=500)]
Word = Annotated[str | None, Query(max_length=64)]


async def _page(
    session: DbSession, f: repo.ActivityFilter, limit: int, cursor: str | None
) -> ActivityPage:
    before = decode_cursor(cursor) if cursor else None
    rows = await repo.query(session, f, limit, before)
    items = [ActivityOut.model_validate(r) for r in rows]
    last = rows[-1] if len(rows) == limit else None
    return ActivityPage(
        items=items, next_cursor=encode_cursor(last.created_at, last.id) if last else None
    )


@router.get("/api/v1/users/me/activity")
async def my_activity(
    user: CurrentUser,
    session: DbSession,
    module: Word = None,
    action: Word = None,
    since: DateTimeParam | None = None,
    until: DateTimeParam | None = None,
    failures_only: bool = False,
    limit: Limit = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> ActivityPage:
    """The caller's own activity, newest first; page with `cursor`."""
    f = repo.ActivityFilter(
        user_id=user.user_id,
        module=module,
        action=action,
        since=since,
        until=until,
        failures_only=failures_only,
    )
    return await _page(session, f, limit, cursor)


@router.get("/api/v1/admin/activity")
async def all_activity(
    _: AdminUser,
    session: DbSession,
    user_id: uuid.UUID | None = None,
    module: Word = None,
    action: Word = None,
    resource_type: Word = None,
    resource_id: Annotated[str | None, Query(max_length=128)] = None,
    since: DateTimeParam | None = None,
    until: DateTimeParam | None = None,
    failures_only: bool = False,
    limit: Limit = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> ActivityPage:
    """Everyone's activity, filtered by user, module, action, resource, time or failures."""
    f = repo.ActivityFilter(
        user_id=user_id,
        module=module,
        action=action,
        resource_type=resource_type,
        resource_id=resource_id,
        since=since,
        until=until,
        failures_only=failures_only,
    )
    return await _page(session, f, limit, cursor)
