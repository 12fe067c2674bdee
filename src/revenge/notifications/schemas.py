"""Notification API payloads; channel secrets are write-only."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator
from pydantic.json_schema import SkipJsonSchema

from revenge.infra.records import RowOut
from revenge.notifications.events import EventType, UserEventType

EmailStr = Annotated[str, Field(pattern=r"^[^@\s<>,]+@[^@\s<>,]+$", max_length=320)]


# A channel's settings: unknown keys are refused, not dropped.
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WebhookConfig(_Strict):
    url: HttpUrl


class EmailConfig(_Strict):
    host: str = Field(min_length=1, max_length=255)
    port: int = Field(587, ge=1, le=65535)
    security: Literal["none", "starttls", "tls"] = "starttls"
    username: str | None = Field(None, max_length=255)
    from_address: EmailStr
    to: list[EmailStr] = Field(default_factory=list, max_length=50)


class NtfyConfig(_Strict):
    url: HttpUrl = Field(description="The topic URL, e.g. https://ntfy.sh/my-media.")
    priority: int = Field(3, ge=1, le=5, description="1 (min) to 5 (urgent); failures use 4+.")
    tags: list[Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[^,]+$")]] = Field(
        default_factory=list, max_length=10
    )


class GotifyConfig(_Strict):
    url: HttpUrl = Field(description="The Gotify server, e.g. https://gotify.example.org.")
    priority: int = Field(5, ge=0, le=10, description="Failures use 8 or more.")


class DiscordConfig(_Strict):
    url: HttpUrl = Field(description="The channel's webhook URL.")
    username: str | None = Field(None, min_length=1, max_length=80)


Template = Annotated[
    str,
    Field(
        min_length=2,
        max_length=20_000,
        description="Jinja2 (sandboxed) rendering the JSON body from `event`"
        " (id, type, title, message, data, occurred_at); e.g."
        ' `{"text": {{ event.title | tojson }}}`.',
    ),
]


class CustomWebhookConfig(_Strict):
    url: HttpUrl
    template: Template


CONFIG_MODELS: dict[str, type[BaseModel]] = {
    "webhook": WebhookConfig,
    "email": EmailConfig,
    "ntfy": NtfyConfig,
    "gotify": GotifyConfig,
    "discord": DiscordConfig,
    "custom_webhook": CustomWebhookConfig,
}


Name = Annotated[str, Field(min_length=1, max_length=100)]
Secret = Annotated[str | None, Field(None, max_length=1024)]


# The fields every kind of channel takes, in this order; each kind narrows kind, config, secret.
class _ChannelIn(BaseModel):
    kind: str
    name: Name
    config: BaseModel
    secret: Secret = None
    events: list[EventType] = Field(min_length=1)
    enabled: bool = True


class WebhookChannelIn(_ChannelIn):
    kind: Literal["webhook"]
    config: WebhookConfig
    secret: Secret = None


class EmailChannelIn(_ChannelIn):
    kind: Literal["email"]
    config: EmailConfig
    secret: Secret = Field(None, description="SMTP password.")


class NtfyChannelIn(_ChannelIn):
    kind: Literal["ntfy"]
    config: NtfyConfig
    secret: Secret = Field(None, description="Access token (sent as a bearer token).")


class GotifyChannelIn(_ChannelIn):
    kind: Literal["gotify"]
    config: GotifyConfig
    secret: Annotated[str, Field(min_length=1, max_length=1024)] = Field(
        description="The Gotify application token."
    )


class DiscordChannelIn(_ChannelIn):
    kind: Literal["discord"]
    config: DiscordConfig
    secret: SkipJsonSchema[None] = None


class CustomWebhookChannelIn(_ChannelIn):
    kind: Literal["custom_webhook"]
    config: CustomWebhookConfig
    secret: Secret = Field(None, description="Signs the body like the webhook channel.")


ChannelIn = Annotated[
    WebhookChannelIn
    | EmailChannelIn
    | NtfyChannelIn
    | GotifyChannelIn
    | DiscordChannelIn
    | CustomWebhookChannelIn,
    Field(discriminator="kind"),
]


class WebhookConfigPatch(_Strict):
    """Webhook settings to change; the others are kept."""

    url: HttpUrl | SkipJsonSchema[None] = None


class EmailConfigPatch(_Strict):
    """Email settings to change; the others are kept."""

    # Omitted means unchanged; only `username` may be cleared with null.
    host: Annotated[str, Field(min_length=1, max_length=255)] | SkipJsonSchema[None] = None
    port: Annotated[int, Field(ge=1, le=65535)] | SkipJsonSchema[None] = None
    security: Literal["none", "starttls", "tls"] | SkipJsonSchema[None] = None
    username: str | None = Field(None, max_length=255)
    from_address: EmailStr | SkipJsonSchema[None] = None
    to: Annotated[list[EmailStr], Field(max_length=50)] | SkipJsonSchema[None] = None


class NtfyConfigPatch(_Strict):
    """ntfy settings to change; the others are kept."""

    url: HttpUrl | SkipJsonSchema[None] = None
    priority: Annotated[int, Field(ge=1, le=5)] | SkipJsonSchema[None] = None
    tags: (
        Annotated[
            list[Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[^,]+$")]],
            Field(max_length=10),
        ]
        | SkipJsonSchema[None]
    ) = None


class GotifyConfigPatch(_Strict):
    """Gotify settings to change; the others are kept."""

    url: HttpUrl | SkipJsonSchema[None] = None
    priority: Annotated[int, Field(ge=0, le=10)] | SkipJsonSchema[None] = None


class DiscordConfigPatch(_Strict):
    """Discord settings to change; the others are kept (`username` may be cleared)."""

    url: HttpUrl | SkipJsonSchema[None] = None
    username: str | None = Field(None, min_length=1, max_length=80)


class CustomWebhookConfigPatch(_Strict):
    """Custom webhook settings to change; the others are kept."""

    url: HttpUrl | SkipJsonSchema[None] = None
    template: Template | SkipJsonSchema[None] = None


class ChannelPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    config: (
        WebhookConfigPatch
        | EmailConfigPatch
        | NtfyConfigPatch
        | GotifyConfigPatch
        | DiscordConfigPatch
        | CustomWebhookConfigPatch
        | None
    ) = Field(None, description="Settings of the channel's own kind to change.")
    secret: Secret = Field(None, description="New secret; empty string removes it.")
    events: list[EventType] | None = Field(None, min_length=1)
    enabled: bool | None = None


class ChannelOut(RowOut):
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
