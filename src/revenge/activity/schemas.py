"""Activity-log API payloads."""

from __future__ import annotations

import base64
import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from revenge.errors import BadRequest


class ActivityOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    user_id: uuid.UUID | None
    module: str
    action: str
    resource_type: str | None
    resource_id: str | None
    details: dict[str, Any]
    ip_address: str | None
    user_agent: str | None
    success: bool
    error: str | None
    created_at: datetime

    @field_validator("ip_address", mode="before")
    @classmethod
    def _ip_text(cls, value: Any) -> str | None:
        return None if value is None else str(value)


class ActivityPage(BaseModel):
    items: list[ActivityOut]
    next_cursor: str | None


def encode_cursor(created_at: datetime, entry_id: int) -> str:
    return base64.urlsafe_b64encode(f"{created_at.isoformat()}|{entry_id}".encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """Parse a page cursor; 400 when it was not produced by this API."""
    try:
        raw = base64.urlsafe_b64decode(cursor.encode()).decode()
        stamp, entry_id = raw.split("|")
        return datetime.fromisoformat(stamp), int(entry_id)
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("Invalid cursor; pass next_cursor from a previous page.") from None
