"""Activity-log API payloads."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

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


class _Paged(Protocol):
    @property
    def created_at(self) -> datetime: ...

    @property
    def id(self) -> int: ...


def next_cursor(rows: Sequence[_Paged], limit: int) -> str | None:
    """The cursor of the page after `rows`; None when they were the last (a short page)."""
    last = rows[-1] if len(rows) == limit else None
    return encode_cursor(last.created_at, last.id) if last else None


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """Parse a page cursor; 400 when it was not produced by this API."""
    try:
        raw = base64.urlsafe_b64decode(cursor.encode()).decode()
        stamp, entry_id = raw.split("|")
        return datetime.fromisoformat(stamp), int(entry_id)
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("Invalid cursor; pass next_cursor from a previous page.") from None
