"""Playback sessions: one row per HLS (or direct) playback, read by every node."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, Float, Index, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from revenge.infra.db.base import Base, created_ts, uuid_fk, uuid_pk


class PlaybackSession(Base):
    """Who plays which file how; `plan` fixes every segment so any node can make it."""

    __tablename__ = "playback_sessions"
    __table_args__ = (
        Index(
            "ix_playback_sessions_active",
            "user_id",
            "created_at",
            postgresql_where=text("ended_at IS NULL"),
        ),
        CheckConstraint("method IN ('direct', 'remux', 'transcode')", name="method"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = uuid_fk("users.id", nullable=False)
    auth_session_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    media_file_id: Mapped[uuid.UUID] = uuid_fk("media_files.id", nullable=False)
    item_kind: Mapped[str | None] = mapped_column(String(16))
    item_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    method: Mapped[str] = mapped_column(String(16), nullable=False)
    plan: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    client_name: Mapped[str | None] = mapped_column(Text)
    position_seconds: Mapped[float] = mapped_column(Float, nullable=False, server_default="0")
    paused: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="false")
    speed: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = created_ts()
    last_seen_at: Mapped[datetime] = created_ts()
    ended_at: Mapped[datetime | None]
    ended_reason: Mapped[str | None] = mapped_column(String(32))
