"""SQL behind signed media tokens: is the issuing user and credential still live?"""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

_BY_SESSION = text(
    """
    SELECT u.role FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE s.id = :bound AND s.user_id = :user_id AND s.revoked_at IS NULL
      AND s.expires_at > now() AND NOT u.disabled
    """
)
_BY_KEY = text(
    """
    SELECT u.role FROM access_keys k JOIN users u ON u.id = k.user_id
    WHERE k.id = :bound AND k.user_id = :user_id AND k.revoked_at IS NULL
      AND (k.expires_at IS NULL OR k.expires_at > now()) AND NOT u.disabled
    """
)
_BY_USER = text("SELECT role FROM users WHERE id = :user_id AND NOT disabled")


async def live_role(
    session: AsyncSession, user_id: uuid.UUID, bound_kind: str, bound_id: uuid.UUID | None
) -> str | None:
    """The role of the user when it and the credential the token is bound to are still live."""
    query = {"s": _BY_SESSION, "k": _BY_KEY}.get(bound_kind, _BY_USER)
    role: str | None = await session.scalar(query, {"user_id": user_id, "bound": bound_id})
    return role
