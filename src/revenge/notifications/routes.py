"""Notification API: admin channels (+ test, attempts) and users' own subscriptions."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError

from revenge.activity.schemas import next_cursor
from revenge.api.audit import Audit
from revenge.api.deps import AdminUser, CurrentUser, DbSession, RuntimeDep
from revenge.api.openapi import problem_responses
from revenge.errors import BadRequest, Conflict, Unprocessable
from revenge.notifications import service, templates
from revenge.notifications.events import EVENT_TYPES, NotificationEvent
from revenge.notifications.models import NotificationChannel
from revenge.notifications.schemas import (
    CONFIG_MODELS,
    AttemptOut,
    AttemptPage,
    ChannelIn,
    ChannelOut,
    ChannelPatch,
    Subscriptions,
    TestSent,
)

router = APIRouter(tags=["notifications"])
ADMIN = "/api/v1/admin/notifications"


def _out(channel: NotificationChannel) -> ChannelOut:
    return ChannelOut.from_row(channel, has_secret=channel.secret_encrypted is not None)


@router.get(f"{ADMIN}/events")
async def event_types(_: AdminUser) -> list[str]:
    """Event types channels can subscribe to."""
    return list(EVENT_TYPES)


@router.get(f"{ADMIN}/channels")
async def list_channels(_: AdminUser, session: DbSession) -> list[ChannelOut]:
    return [_out(c) for c in await service.list_channels(session)]


@router.post(
    f"{ADMIN}/channels",
    status_code=201,
    responses=problem_responses(
        {400: "The body template does not render JSON.", 409: "Another channel has this name."}
    ),
)
async def create_channel(
    body: ChannelIn, user: AdminUser, session: DbSession, runtime: RuntimeDep, audit: Audit
) -> ChannelOut:
    """Add a channel (webhook, email, ntfy, Gotify, Discord or custom JSON webhook)
    subscribed to some event types."""
    config = body.config.model_dump(mode="json")
    _check_template(config)
    try:
        channel = await runtime.notifications.create_channel(
            session,
            name=body.name,
            kind=body.kind,
            config=config,
            secret=body.secret,
            events=list(dict.fromkeys(body.events)),
            enabled=body.enabled,
            actor=user.user_id,
        )
    except IntegrityError:
        raise Conflict(f"A channel named {body.name!r} already exists.") from None
    audit.resource_type, audit.resource_id = "notification_channel", str(channel.id)
    audit.details = {"name": channel.name, "kind": channel.kind, "events": channel.events}
    return _out(channel)


@router.get(f"{ADMIN}/channels/{{channel_id}}")
async def get_channel(channel_id: uuid.UUID, _: AdminUser, session: DbSession) -> ChannelOut:
    return _out(await service.get_channel(session, channel_id))


def _merged_config(channel: NotificationChannel, patch: dict[str, Any]) -> dict[str, Any]:
    model = CONFIG_MODELS[channel.kind]
    try:
        merged = model.model_validate({**channel.config, **patch}).model_dump(mode="json")
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise Unprocessable(f"config.{where}: {first['msg']}", field="config") from None
    _check_template(merged)
    return merged


def _check_template(config: dict[str, Any]) -> None:
    """A custom webhook's template must render JSON now, not fail at send time."""
    if "template" in config:
        try:
            templates.check(str(config["template"]))
        except templates.TemplateInvalid as exc:
            raise BadRequest(f"config.template: {exc}", field="config.template") from None


@router.patch(
    f"{ADMIN}/channels/{{channel_id}}",
    responses=problem_responses(
        {400: "The body template does not render JSON.", 409: "Another channel has this name."}
    ),
)
async def update_channel(
    channel_id: uuid.UUID,
    body: ChannelPatch,
    _: AdminUser,
    session: DbSession,
    runtime: RuntimeDep,
    audit: Audit,
) -> ChannelOut:
    """Change name, settings, secret, subscribed events or enabled state."""
    channel = await service.get_channel(session, channel_id)
    if body.config is not None:
        changes = body.config.model_dump(mode="json", exclude_unset=True)
        channel.config = _merged_config(channel, changes)
    if body.secret is not None:
        channel.secret_encrypted = runtime.notifications.seal(body.secret)
    if body.events is not None:
        channel.events = list(dict.fromkeys(body.events))
    for field in ("name", "enabled"):
        if getattr(body, field) is not None:
            setattr(channel, field, getattr(body, field))
    try:
        await session.flush()
    except IntegrityError:
        raise Conflict(f"A channel named {body.name!r} already exists.") from None
    await session.refresh(channel)
    audit.resource_type = "notification_channel"
    audit.details = {"fields": sorted(body.model_dump(exclude_none=True, exclude={"secret"}))}
    return _out(channel)


@router.delete(f"{ADMIN}/channels/{{channel_id}}", status_code=204)
async def delete_channel(
    channel_id: uuid.UUID, _: AdminUser, session: DbSession, audit: Audit
) -> Response:
    await service.delete_channel(session, channel_id)
    audit.resource_type = "notification_channel"
    return Response(status_code=204)


@router.post(f"{ADMIN}/channels/{{channel_id}}/test", status_code=202)
async def test_channel(
    channel_id: uuid.UUID, user: AdminUser, session: DbSession, runtime: RuntimeDep, audit: Audit
) -> TestSent:
    """Send a `system.test` event over this channel (delivered by a background job)."""
    channel = await service.get_channel(session, channel_id)
    event = NotificationEvent(
        "system.test",
        "Test notification",
        f"{user.username} sent this test from channel {channel.name!r}.",
        {"channel_id": str(channel.id)},
    )
    job_id = await runtime.notifications.send_to_channel(session, channel.id, event)
    audit.resource_type = "notification_channel"
    audit.details = {"event_id": str(event.id), "job_id": job_id}
    return TestSent(job_id=job_id, event_id=event.id)


@router.get(f"{ADMIN}/channels/{{channel_id}}/attempts")
async def channel_attempts(
    channel_id: uuid.UUID,
    _: AdminUser,
    session: DbSession,
    event_id: uuid.UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> AttemptPage:
    """Delivery attempts over this channel, newest first (status, code, duration, error)."""
    rows = await service.channel_attempts(session, channel_id, limit, cursor, event_id)
    return AttemptPage(
        items=[AttemptOut.model_validate(r) for r in rows], next_cursor=next_cursor(rows, limit)
    )


@router.get("/api/v1/users/me/notifications")
async def my_subscriptions(user: CurrentUser, session: DbSession) -> Subscriptions:
    """Event types the caller receives by email at their account address."""
    return Subscriptions(events=await service.user_subscriptions(session, user.user_id))


@router.put(
    "/api/v1/users/me/notifications",
    responses=problem_responses({409: "The account has no email address to send to."}),
)
async def set_my_subscriptions(
    body: Subscriptions, user: CurrentUser, session: DbSession, audit: Audit
) -> Subscriptions:
    """Replace the caller's email subscriptions (e.g. `item.added`)."""
    await service.set_user_subscriptions(session, user.user_id, body.events)
    audit.resource_type, audit.resource_id = "notification_subscription", str(user.user_id)
    audit.details = {"events": body.events}
    return body
