"""Notification channels, user subscriptions and the record of every delivery attempt."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ARRAY,
    BigInteger,
    Boolean,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from revenge.infra.db.base import Base, Timestamps, created_ts, serial_pk, uuid_fk, uuid_pk


class NotificationChannel(Timestamps, Base):
    __tablename__ = "notification_channels"

    id: Mapped[uuid.UUID] = uuid_pk()
    name: Mapped[str] = mapped_column(String(100), nullable=False, unique=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    # Non-secret settings (URL, SMTP host/port/TLS/user/from/to); the secret is sealed apart.
    config: Mapped[dict[str, Any]] = mapped_column(
        JSONB, nullable=False, server_default=text("'{}'::jsonb")
    )
    secret_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    events: Mapped[list[str]] = mapped_column(ARRAY(Text), nullable=False)
    enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="true")
    created_by: Mapped[uuid.UUID | None] = uuid_fk("users.id", ondelete="SET NULL")


class NotificationSubscription(Base):
    """A user's own email subscription to an event type (e.g. `item.added`)."""

    __tablename__ = "notification_subscriptions"
    __table_args__ = (
        Index("uq_notification_subscriptions_user_event", "user_id", "event_type", unique=True),
        Index("ix_notification_subscriptions_event_type", "event_type"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = uuid_fk("users.id", nullable=False)
    event_type: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = created_ts()


class NotificationAttempt(Base):
    __tablename__ = "notification_attempts"
    __table_args__ = (
        Index(
            "ix_notification_attempts_channel_time",
            "channel_id",
            text("created_at DESC"),
            text("id DESC"),
        ),
        Index("ix_notification_attempts_event", "event_id"),
    )

    id: Mapped[int] = serial_pk()
    channel_id: Mapped[uuid.UUID] = uuid_fk("notification_channels.id", nullable=False)
    event_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    event_type: Mapped[str] = mapped_column(String(64), nullable=False)
    recipient: Mapped[str | None] = mapped_column(String(320))
    job_id: Mapped[int | None] = mapped_column(BigInteger)
    attempt: Mapped[int] = mapped_column(Integer, nullable=False)
    # delivered | failed (will retry) | gave_up (last attempt failed)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    response_code: Mapped[int | None] = mapped_column(Integer)
    duration_ms: Mapped[int] = mapped_column(Integer, nullable=False)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_ts()
