"""The call other features record audit events through: a thin forward to the activity log.

Entries go to the buffered writer (`runtime.activity`), so recording never slows a request and
a failed login is kept even though its request's transaction is rolled back.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Unpack

from sqlalchemy.ext.asyncio import AsyncSession

if TYPE_CHECKING:
    from revenge.activity.service import EntryFields
    from revenge.runtime import Runtime


async def record(
    runtime: Runtime,
    session: AsyncSession | None,
    *,
    user_id: uuid.UUID | None,
    module: str,
    action: str,
    **fields: Unpack[EntryFields],
) -> None:
    """Record one event (e.g. module="auth", action="login"); `fields` as ActivityLog.log takes."""
    runtime.activity.log(module, action, user_id=user_id, **fields)
