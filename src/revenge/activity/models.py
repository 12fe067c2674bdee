"""The audit log."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Index, String, Text, text
from sqlalchemy.dialects.postgresql import INET, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from revenge.infra.db.base import Base, created_ts, serial_pk


class ActivityEntry(Base):
    __tablename__ = "activity_log"
    __table_args__ = (
        Index("ix_activity_log_user_time", "user_id", text("created_at DESC"), text("id DESC")),
        Index("ix_activity_log_module_time", "module", text("created_at DESC"), text("id DESC")),
        Index("ix_activity_log_time", text("created_at DESC"), text("id DESC")),
        Index(
            "ix_activity_log_resource_time",
            "resource_type",
            "resource_id",
            text("created_at DESC"),
            text("id DESC"),
            postgresql_where=text("resource_id IS NOT NULL"),
        ),
        Index(
            "ix_activity_log_failures_time",
            text("created_at DESC"),
            text("id DESC"),
            postgresql_where=text("NOT success"),
        ),
    )

    # No FK to users: the log outlives deleted accounts and must never block a delete.
    id: Mapped[int] = serial_pk()
    user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    module: Mapped[str] = mapped_column(String(32), nullable=False)
    action: Mapped[str] = mapped_column(String(32), nullable=False)
    resource_type: Mapped[str | None] = mapped_column(String(64))
    resource_id: Mapped[str | None] = mapped_column(String(128))
    details: Mapped[dict[str, Any]] = mapped_column(
        JSONB, nullable=False, server_default=text("'{}'::jsonb")
    )
    ip_address: Mapped[str | None] = mapped_column(INET)
    user_agent: Mapped[str | None] = mapped_column(Text)
    success: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="true")
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_ts()
