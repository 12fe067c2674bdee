"""The one place other features record audit events through.

Writes one `activity_log` row inside the caller's transaction, so an event is kept exactly
when the change it describes is.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.activity import repository
from revenge.activity.models import ActivityEntry

if TYPE_CHECKING:
    from revenge.runtime import Runtime


async def record(
    runtime: Runtime,
    session: AsyncSession,
    *,
    user_id: uuid.UUID | None,
    module: str,
    action: str,
    resource_type: str | None = None,
    resource_id: str | None = None,
    details: dict[str, Any] | None = None,
    ip_address: str | None = None,
    user_agent: str | None = None,
    success: bool = True,
    error: str | None = None,
) -> None:
    """Record one event (e.g. module="auth", action="login")."""
    await repository.insert(
        session,
        ActivityEntry(
            user_id=user_id,
            module=module,
            action=action,
            resource_type=resource_type,
            resource_id=resource_id,
            details=details or {},
            ip_address=ip_address,
            user_agent=user_agent[:1000] if user_agent else None,
            success=success,
            error=error,
        ),
    )
