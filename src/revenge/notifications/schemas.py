"""Notification API payloads; channel secrets are write-only."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator
from pydantic.json_schema import SkipJsonSchema

from revenge.notifications.events import EVENT_TYPES, USER_EVENT_TYPES

EventType = Literal[
    "library.scan.completed",
    "library.scan.failed",
    "metadata.fetch.completed",
    "item.added",
    "job.failed",
    "auth.login.new_device",
    "system.test",
]
assert set(EventType.__args__) == set(EVENT_TYPES)  # type: ignore[attr-defined]
UserEventType = Literal["item.added"]
assert set(UserEventType.__args__) == set(USER_EVENT_TYPES)  # type: ignore[attr-defined]


EmailStr = Annotated[str, Field(pattern=r"^[^@\s<>,]+@[^@\s<>,]+$", max_length=320)]


class WebhookConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: HttpUrl


class EmailConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    host: str = Field(min_length=1, max_length=255)
    port: int = Field(587, ge=1, le=65535)
    security: Literal["none", "starttls", "tls"] = "starttls"
    username: str | None = Field(None, max_length=255)
    from_address: EmailStr
    to: list[EmailStr] = Field(default_factory=list, max_length=50)


Name = Annotated[str, Field(min_length=1, max_length=100)]
Secret = Annotated[str | None, Field(None, max_length=1024)]


class WebhookChannelIn(BaseModel):
    kind: Literal["webhook"]
    name: Name
    config: WebhookConfig
    secret: Secret = None
    events: list[EventType] = Field(min_length=1)
    enabled: bool = True


class EmailChannelIn(BaseModel):
    kind: Literal["email"]
    name: Name
    config: EmailConfig
    secret: Secret = Field(None, description="SMTP password.")
    events: list[EventType] = Field(min_length=1)
    enabled: bool = True


ChannelIn = Annotated[WebhookChannelIn | EmailChannelIn, Field(discriminator="kind")]


class WebhookConfigPatch(BaseModel):
    """Webhook settings to change; the others are kept."""

    model_config = ConfigDict(extra="forbid")

    url: HttpUrl | SkipJsonSchema[None] = None


class EmailConfigPatch(BaseModel):
    """Email settings to change; the others are kept."""

    model_config = ConfigDict(extra="forbid")

    # Omitted means unchanged; only `username` may be cleared with null.
    host: Annotated[str, Field(min_length=1, max_length=255)] | SkipJsonSchema[None] = None
    port: Annotated[int, Field(ge=1, le=65535)] | SkipJsonSchema[None] = None
    security: Literal["none", "starttls", "tls"] | SkipJsonSchema[None] = None
    username: str | None = Field(None, max_length=255)
    from_address: EmailStr | SkipJsonSchema[None] = None
    to: Annotated[list[EmailStr], Field(max_length=50)] | SkipJsonSchema[None] = None


class ChannelPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    config: WebhookConfigPatch | EmailConfigPatch | None = Field(
        None, description="Settings of the channel's own kind to change."
    )
    secret: Secret = Field(None, description="New secret; empty string removes it.")
    events: list[EventType] | None = Field(None, min_length=1)
    enabled: bool | None = None


class ChannelOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    kind: str
    config: dict[str, Any]
    has_secret: bool
    events: list[str]
    enabled: bool
    created_at: datetime
    updated_at: datetime


class AttemptOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    event_id: uuid.UUID
    event_type: str
    recipient: str | None
    job_id: int | None
    attempt: int
    status: str
    response_code: int | None
    duration_ms: int
    error: str | None
    created_at: datetime


class AttemptPage(BaseModel):
    items: list[AttemptOut]
    next_cursor: str | None


class TestSent(BaseModel):
    job_id: int | None
    event_id: uuid.UUID


class Subscriptions(BaseModel):
    events: list[UserEventType]

    @field_validator("events")
    @classmethod
    def _once_each(cls, events: list[UserEventType]) -> list[UserEventType]:
        return sorted(set(events))
