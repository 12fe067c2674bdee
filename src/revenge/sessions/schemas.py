"""API models of sessions."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel

from revenge.sessions.models import Session


class SessionOut(BaseModel):
    id: uuid.UUID
    user_id: uuid.UUID
    device_id: str | None
    device_name: str | None
    client_name: str | None
    client_version: str | None
    ip_address: str | None
    user_agent: str | None
    created_at: datetime
    last_activity_at: datetime
    expires_at: datetime
    current: bool

    @classmethod
    def of(cls, row: Session, current: uuid.UUID | None) -> SessionOut:
        return cls(
            id=row.id,
            user_id=row.user_id,
            device_id=row.device_id,
            device_name=row.device_name,
            client_name=row.client_name,
            client_version=row.client_version,
            ip_address=str(row.ip_address) if row.ip_address is not None else None,
            user_agent=row.user_agent,
            created_at=row.created_at,
            last_activity_at=row.last_activity_at,
            expires_at=row.expires_at,
            current=row.id == current,
        )


class RevokedCount(BaseModel):
    revoked: int


class ActivityRecorded(BaseModel):
    written: bool
