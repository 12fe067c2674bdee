"""Activity-log API: the caller's own activity, and everything for admins."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from revenge.activity.schemas import ActivityOut, ActivityPage, decode_cursor, next_cursor
from revenge.activity.service import ActivityFilter, list_entries
from revenge.api.deps import AdminUser, CurrentUser, DbSession
from revenge.api.params import DateTimeParam, known_query_keys

router = APIRouter(tags=["activity"], dependencies=[Depends(known_query_keys)])

Limit = Annotated[int, Query(ge=1, le=500)]
Word = Annotated[str | None, Query(max_length=64)]
Cursor = Annotated[str | None, Query(max_length=200)]


def _filter(
    module: Word = None,
    action: Word = None,
    since: DateTimeParam | None = None,
    until: DateTimeParam | None = None,
    failures_only: bool = False,
) -> ActivityFilter:
    """The query parameters both listings take."""
    return ActivityFilter(
        module=module, action=action, since=since, until=until, failures_only=failures_only
    )


Filter = Annotated[ActivityFilter, Depends(_filter)]


async def _page(
    session: DbSession, f: ActivityFilter, limit: int, cursor: str | None
) -> ActivityPage:
    before = decode_cursor(cursor) if cursor else None
    rows = await list_entries(session, f, limit, before)
    items = [ActivityOut.model_validate(r) for r in rows]
    return ActivityPage(items=items, next_cursor=next_cursor(rows, limit))


@router.get("/api/v1/users/me/activity")
async def my_activity(
    user: CurrentUser, session: DbSession, f: Filter, limit: Limit = 50, cursor: Cursor = None
) -> ActivityPage:
    """The caller's own activity, newest first; page with `cursor`."""
    return await _page(session, replace(f, user_id=user.user_id), limit, cursor)


@router.get("/api/v1/admin/activity")
async def all_activity(
    _: AdminUser,
    session: DbSession,
    f: Filter,
    user_id: uuid.UUID | None = None,
    resource_type: Word = None,
    resource_id: Annotated[str | None, Query(max_length=128)] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> ActivityPage:
    """Everyone's activity, filtered by user, module, action, resource, time or failures."""
    f = replace(f, user_id=user_id, resource_type=resource_type, resource_id=resource_id)
    return await _page(session, f, limit, cursor)
