"""API models of sessions."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel

from revenge.infra.records import RowOut
from revenge.sessions.models import Session


class SessionOut(RowOut):
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
        ip = str(row.ip_address) if row.ip_address is not None else None
        return cls.from_row(row, ip_address=ip, current=row.id == current)


class RevokedCount(BaseModel):
    revoked: int


class ActivityRecorded(BaseModel):
    written: bool
