"""Audit entries of the auth module: sign-ins, sessions, keys and passwords."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Unpack

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.activity.seam import record
from revenge.identity.client import ClientInfo

if TYPE_CHECKING:
    from revenge.activity.service import EntryFields
    from revenge.runtime import Runtime


async def record_auth(
    runtime: Runtime,
    session: AsyncSession,
    action: str,
    *,
    user_id: uuid.UUID | None,
    client: ClientInfo | None = None,
    **fields: Unpack[EntryFields],
) -> None:
    """Record one auth event; with a `client`, the caller's address and user agent too."""
    if client is not None:
        fields["ip_address"] = client.ip
        fields["user_agent"] = client.user_agent
    await record(runtime, session, user_id=user_id, module="auth", action=action, **fields)
