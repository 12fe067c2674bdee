"""The event outbox, new items waiting for their scan's batched announcement, and the
devices and addresses each user has signed in from."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Index, String, Text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from revenge.infra.db.base import Base, created_ts, serial_pk, uuid_fk


class OutboxEvent(Base):
    """One event written in the transaction of the change it describes; the relay turns it
    into notification jobs and live updates once committed, then deletes it."""

    __tablename__ = "event_outbox"

    id: Mapped[int] = serial_pk()
    type: Mapped[str] = mapped_column(String(64), nullable=False)
    # The NotificationEvent (id, title, message, data, occurred_at) as JSON.
    body: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    # Who may see it: about one library (its viewers), one user only, or admins only.
    library_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    admin_only: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="false")
    # False for live-only updates (progress, changes) that no channel subscribes to.
    notify: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="true")
    created_at: Mapped[datetime] = created_ts()


class PendingNewItem(Base):
    """An item a scan batch created, announced in one batch when its library's scan ends."""

    __tablename__ = "event_pending_items"
    __table_args__ = (Index("ix_event_pending_items_library_id", "library_id"),)

    id: Mapped[int] = serial_pk()
    library_id: Mapped[uuid.UUID] = uuid_fk("libraries.id", nullable=False)
    item_kind: Mapped[str] = mapped_column(String(32), nullable=False)
    item_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)


class SignInOrigin(Base):
    """A device or address a user has signed in from (`kind`: device | address)."""

    __tablename__ = "sign_in_origins"

    user_id: Mapped[uuid.UUID] = uuid_fk("users.id", primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[str] = mapped_column(Text, primary_key=True)
    first_seen_at: Mapped[datetime] = created_ts()
