"""The call other features record audit events through: a thin forward to the activity log.

Entries go to the buffered writer (`runtime.activity`), so recording never slows a request and
a failed login is kept even though its request's transaction is rolled back.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

if TYPE_CHECKING:
    from revenge.runtime import Runtime


async def record(
    runtime: Runtime,
    session: AsyncSession | None,
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
    runtime.activity.log(
        module,
        action,
        user_id=user_id,
        resource_type=resource_type,
        resource_id=resource_id,
        details=details,
        ip_address=ip_address,
        user_agent=user_agent,
        success=success,
        error=error,
    )
