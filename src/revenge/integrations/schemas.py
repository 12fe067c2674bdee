"""API payloads of integrations (*arr webhooks) and podcast feed subscriptions."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

from revenge.api.text import BLANK, NOT_BLANK

ArrKind = Literal["radarr", "sonarr", "lidarr"]
FeedMode = Literal["download", "stream"]
Name = Annotated[str, Field(min_length=1, max_length=100, pattern=NOT_BLANK)]
Folder = Annotated[str, Field(min_length=1, max_length=4096, pattern=r"^/")]
# An *arr on Windows names folders like `D:\\Media`.
RemoteFolder = Annotated[str, Field(min_length=1, max_length=4096, pattern=r"^(/|[A-Za-z]:[\\/])")]
FeedUrl = Annotated[str, Field(min_length=8, max_length=2048, pattern=rf"^https?://[^{BLANK}]+$")]


class PathMappingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    remote: RemoteFolder = Field(description="A folder as Radarr/Sonarr/Lidarr sees it.")
    local: Folder = Field(description="The same folder as this server sees it.")


class IntegrationIn(BaseModel):
    name: Name
    kind: ArrKind
    path_mappings: list[PathMappingIn] = Field(default_factory=list, max_length=50)
    enabled: bool = True


class IntegrationPatch(BaseModel):
    name: Name | SkipJsonSchema[None] = None
    path_mappings: Annotated[list[PathMappingIn], Field(max_length=50)] | SkipJsonSchema[None] = (
        None
    )
    enabled: bool | SkipJsonSchema[None] = None


class IntegrationOut(BaseModel):
    id: uuid.UUID
    name: str
    kind: ArrKind
    path_mappings: list[PathMappingIn]
    enabled: bool
    webhook_url: str = Field(description="Where the *arr posts (add the secret to it).")
    last_event: str | None
    last_event_at: datetime | None
    last_outcome: str | None
    created_at: datetime


class IntegrationCreated(IntegrationOut):
    secret: str = Field(
        description="Shown once. Send it as `?secret=`, the `X-Revenge-Secret` header, or as"
        " the password of the webhook's basic authentication."
    )
    webhook_url_with_secret: str


class HookPayload(BaseModel):
    """A Radarr/Sonarr/Lidarr webhook body; only the fields read here are described."""

    model_config = ConfigDict(extra="allow")

    eventType: str = Field(min_length=1, max_length=64)


class HookAnswer(BaseModel):
    status: Literal["ok", "queued", "ignored"]
    folders: list[str] = Field(default_factory=list)
    reason: str | None = None


class FeedIn(BaseModel):
    url: FeedUrl
    library_id: uuid.UUID = Field(description="A podcast library.")
    mode: FeedMode = "download"


class FeedPatch(BaseModel):
    mode: FeedMode | SkipJsonSchema[None] = None


class FeedOut(BaseModel):
    id: uuid.UUID
    url: str
    library_id: uuid.UUID
    mode: FeedMode
    folder: str | None
    title: str | None
    author: str | None
    description: str | None
    link: str | None
    image_url: str | None
    status: Literal["new", "ok", "error"]
    error: str | None = Field(description="Why the last poll refused the feed.")
    last_polled_at: datetime | None
    last_changed_at: datetime | None
    created_at: datetime


class FeedEpisodeOut(BaseModel):
    id: uuid.UUID
    guid: str
    title: str
    description: str | None
    published_at: datetime | None
    enclosure_url: str = Field(
        description="The file on the feed's host; `.../episodes/{id}/stream` relays it."
    )
    enclosure_type: str | None
    enclosure_length: int | None
    duration_seconds: float | None
    image_url: str | None
    status: Literal["available", "downloaded", "failed", "skipped", "removed"]
    error: str | None


class PollQueued(BaseModel):
    queued: bool


class OpmlImport(BaseModel):
    opml: str = Field(min_length=1, max_length=5 * 1024 * 1024, description="An OPML document.")
    library_id: uuid.UUID
    mode: FeedMode = "download"


class OpmlImported(BaseModel):
    added: list[FeedOut]
    skipped: list[dict[str, Any]] = Field(description="Outlines not added, with the reason.")
