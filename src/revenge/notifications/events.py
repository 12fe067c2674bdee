"""Notification events: what can be sent, and the payload every channel receives."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

EVENT_TYPES = (
    "library.scan.completed",
    "library.scan.failed",
    "metadata.fetch.completed",
    "item.added",
    "job.failed",
    "auth.login.new_device",
    "system.test",
)
USER_EVENT_TYPES = ("item.added",)


@dataclass(frozen=True)
class NotificationEvent:
    type: str
    title: str
    message: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    occurred_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __post_init__(self) -> None:
        if self.type not in EVENT_TYPES:
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
