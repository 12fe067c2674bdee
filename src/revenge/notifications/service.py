"""Notifications: `send(event)` only enqueues one `notifications.deliver` job per target.

Targets are the enabled channels subscribed to the event type, plus, for user events such as
`item.added`, every subscribed user's own email address (sent through the first enabled email
channel): only users who may see the event's library, or only the user it is about. The jobs
are enqueued in the caller's transaction (the outbox relay's, see `revenge.events.relay`), so
nothing is sent for work that rolls back.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.activity.schemas import decode_cursor
from revenge.errors import Conflict, NotFound, must_exist
from revenge.infra.jobs.queue import JobQueue
from revenge.infra.jobs.types import QueuedJob, enqueue_many
from revenge.infra.secrets import SecretBox
from revenge.notifications import repository as repo
from revenge.notifications.channels import DeliveryTarget
from revenge.notifications.events import USER_EVENT_TYPES, NotificationEvent
from revenge.notifications.models import NotificationAttempt, NotificationChannel
from revenge.notifications.tasks import DeliverNotification, deliver_notification


async def list_channels(session: AsyncSession) -> list[NotificationChannel]:
    return await repo.list_channels(session)


async def get_channel(session: AsyncSession, channel_id: uuid.UUID) -> NotificationChannel:
    found = await repo.get_channel(session, channel_id)
    return must_exist(found, f"No notification channel {channel_id}.")


async def delete_channel(session: AsyncSession, channel_id: uuid.UUID) -> None:
    if not await repo.delete_channel(session, channel_id):
        raise NotFound(f"No notification channel {channel_id}.")


async def channel_attempts(
    session: AsyncSession,
    channel_id: uuid.UUID,
    limit: int,
    cursor: str | None,
    event_id: uuid.UUID | None,
) -> list[NotificationAttempt]:
    """Delivery attempts over an existing channel, newest first, after the page `cursor`."""
    await get_channel(session, channel_id)
    before = decode_cursor(cursor) if cursor else None
    return await repo.attempts(session, channel_id, limit, before, event_id)


async def user_subscriptions(session: AsyncSession, user_id: uuid.UUID) -> list[str]:
    return await repo.user_subscriptions(session, user_id)


async def set_user_subscriptions(
    session: AsyncSession, user_id: uuid.UUID, events: Sequence[str]
) -> None:
    """Replace a user's email subscriptions; a user without an email address may hold none."""
    if events and not await repo.user_email(session, user_id):
        raise Conflict("Add an email address to your account before subscribing.")
    await repo.replace_subscriptions(session, user_id, events)


class NotificationService:
    def __init__(self, box: SecretBox, jobs: JobQueue) -> None:
        self._box = box
        self._jobs = jobs

    async def send(
        self,
        session: AsyncSession,
        event: NotificationEvent,
        *,
        library_id: uuid.UUID | None = None,
        user_id: uuid.UUID | None = None,
    ) -> int:
        """Enqueue one delivery job per (event, channel or recipient); how many."""
        jobs: list[QueuedJob] = []
        for channel in await repo.channels_for(session, event.type):
            jobs.append(self._job(event, channel.id, None))
        if event.type in USER_EVENT_TYPES:
            transport = await repo.first_email_channel(session)
            if transport is not None:
                emails = await repo.subscriber_emails(
                    session, event.type, library_id=library_id, user_id=user_id
                )
                for email in emails:
                    jobs.append(self._job(event, transport.id, email))
        await enqueue_many(session, jobs)
        return len(jobs)

    async def send_to_channel(
        self, session: AsyncSession, channel_id: uuid.UUID, event: NotificationEvent
    ) -> int | None:
        """Enqueue a delivery to one channel regardless of its subscriptions (tests)."""
        return (await enqueue_many(session, [self._job(event, channel_id, None)]))[0]

    @staticmethod
    def _job(event: NotificationEvent, channel_id: uuid.UUID, recipient: str | None) -> QueuedJob:
        payload = DeliverNotification(
            event=event.to_json(), channel_id=channel_id, recipient=recipient
        )
        return deliver_notification.job(
            payload, f"notify:{event.id}:{channel_id}:{recipient or ''}"
        )

    def seal(self, secret: str | None) -> bytes | None:
        return self._box.encrypt(secret.encode()) if secret else None

    def target(self, channel: NotificationChannel, recipient: str | None) -> DeliveryTarget:
        secret = (
            self._box.decrypt(channel.secret_encrypted).decode()
            if channel.secret_encrypted
            else None
        )
        return DeliveryTarget(channel.kind, dict(channel.config), secret, recipient)

    async def create_channel(
        self,
        session: AsyncSession,
        *,
        name: str,
        kind: str,
        config: dict[str, Any],
        secret: str | None,
        events: list[str],
        enabled: bool,
        actor: uuid.UUID | None,
    ) -> NotificationChannel:
        return await repo.add_channel(
            session,
            name=name,
            kind=kind,
            config=config,
            secret_encrypted=self.seal(secret),
            events=events,
            enabled=enabled,
            created_by=actor,
        )
