"""`notifications.deliver`: one event over one channel, every attempt recorded.

The job schedules its own retries (exponential backoff from `jobs.retry_base_seconds`) so the
attempt limit is `notifications.max_attempts`. After the last failed attempt it records
`gave_up`, writes a failed entry to the activity log, raises a `job.failed` event for the
other channels, and fails the job (kept as `failed` in the admin job list).
"""

from __future__ import annotations

import logging
import time
import uuid
from datetime import timedelta
from typing import Any

from pgqueuer.errors import RetryRequested

from revenge.infra.jobs.context import ExpectedJobFailure, JobContext
from revenge.notifications import repository as repo
from revenge.notifications.channels import (
    Channel,
    DeliveryError,
    DeliveryTarget,
    EmailChannel,
)
from revenge.notifications.events import NotificationEvent
from revenge.notifications.push import http_channel
from revenge.notifications.tasks import DeliverNotification, deliver_notification

log = logging.getLogger(__name__)


class DeliveryFailed(ExpectedJobFailure):
    """The last delivery attempt failed; the job ends as failed (a warning, no traceback)."""


async def _channel_for(ctx: JobContext, kind: str) -> Channel:
    cfg = ctx.runtime.settings.notifications
    allowlist = await ctx.runtime.server_settings.outbound_allowlist()
    if kind == "email":
        return EmailChannel(cfg, allowlist)
    return http_channel(kind, cfg, allowlist)


@deliver_notification.handler
async def deliver(ctx: JobContext, payload: DeliverNotification) -> None:
    """Send one notification; retry with backoff; give up after the configured attempts."""
    rt = ctx.runtime
    event = NotificationEvent.from_json(payload.event)
    channel_id = payload.channel_id
    recipient = payload.recipient
    async with rt.db.transaction() as session:
        channel = await repo.get_channel(session, channel_id)
        target = rt.notifications.target(channel, recipient) if channel else None
    if target is None:
        log.info("channel %s is gone; dropping %s", channel_id, event.type)
        return
    started = time.perf_counter()
    code: int | None = None
    error: str | None = None
    try:
        code = await (await _channel_for(ctx, target.kind)).deliver(target, event)
    except DeliveryError as exc:
        code, error = exc.response_code, str(exc)
    duration_ms = int((time.perf_counter() - started) * 1000)
    final = ctx.attempt >= rt.settings.notifications.max_attempts
    status = "delivered" if error is None else ("gave_up" if final else "failed")
    async with rt.db.transaction() as session:
        await repo.add_attempt(
            session,
            channel_id=channel_id,
            event_id=event.id,
            event_type=event.type,
            recipient=recipient,
            job_id=ctx.job_id,
            attempt=ctx.attempt,
            status=status,
            response_code=code,
            duration_ms=duration_ms,
            error=error,
        )
        if status == "gave_up":
            await _report_give_up(ctx, session, event, channel_id, target, error)
    if error is not None:
        log.warning(
            "%s over %s channel %s failed (attempt %d of %d): %s",
            event.type, target.kind, channel_id, ctx.attempt,
            rt.settings.notifications.max_attempts, error,
        )  # fmt: skip
    if status == "failed":
        delay = rt.settings.jobs.retry_base_seconds * 2 ** (ctx.attempt - 1)
        raise RetryRequested(delay=timedelta(seconds=delay), reason=error)
    if status == "gave_up":
        raise DeliveryFailed(f"gave up after {ctx.attempt} attempts: {error}")


async def _report_give_up(
    ctx: JobContext,
    session: Any,
    event: NotificationEvent,
    channel_id: uuid.UUID,
    target: DeliveryTarget,
    error: str | None,
) -> None:
    rt = ctx.runtime
    rt.activity.log(
        "notifications",
        "job.failed",
        resource_type="notification_channel",
        resource_id=str(channel_id),
        details={"job_id": ctx.job_id, "event_type": event.type, "attempts": ctx.attempt},
        success=False,
        error=error,
    )
    if event.type == "job.failed":
        return  # never notify about failing failure notifications (no loops)
    await rt.events.job_failed(
        session,
        task=deliver_notification.name,
        job_id=ctx.job_id,
        attempts=ctx.attempt,
        error=f"{event.type} could not be delivered over a {target.kind} channel: {error}",
        data={"channel_id": str(channel_id), "event_type": event.type},
    )
