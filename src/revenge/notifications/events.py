"""Events: what channels can be sent, what live updates carry, and the payload of both.

`EVENT_TYPES` can be delivered over channels; `USER_EVENT_TYPES` of them also to users who
subscribe (only about libraries they may see, or about themselves); `LIVE_TYPES` only ever
reach live-update streams (`GET /api/v1/events`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, get_args

# Declared once as types (the API schemas validate with them) and read as tuples from them.
EventType = Literal[
    "library.scan.completed",
    "library.scan.failed",
    "metadata.fetch.completed",
    "item.added",
    "playback.transcode.failed",
    "job.failed",
    "auth.login.new_device",
    "system.test",
]
UserEventType = Literal[
    "item.added", "library.scan.completed", "metadata.fetch.completed", "auth.login.new_device"
]
EVENT_TYPES: tuple[str, ...] = get_args(EventType)
USER_EVENT_TYPES: tuple[str, ...] = get_args(UserEventType)
LIVE_TYPES = (
    "library.scan.progress",
    "item.changed",
    "playback.session",
    "settings.changed",
    "session.revoked",
    "access.changed",
)
ALL_TYPES = EVENT_TYPES + LIVE_TYPES


@dataclass(frozen=True)
class NotificationEvent:
    type: str
    title: str
    message: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    occurred_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __post_init__(self) -> None:
        if self.type not in ALL_TYPES:
            raise ValueError(f"unknown event type {self.type!r}")

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "type": self.type,
            "title": self.title,
            "message": self.message,
            "data": self.data,
            "occurred_at": self.occurred_at.isoformat(),
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> NotificationEvent:
        return cls(
            type=raw["type"],
            title=raw["title"],
            message=raw.get("message", ""),
            data=raw.get("data", {}),
            id=uuid.UUID(raw["id"]),
            occurred_at=datetime.fromisoformat(raw["occurred_at"]),
        )
