"""Runtime settings persisted in the database; they override the config file."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from revenge.infra.db.base import Base, updated_ts, uuid_fk


class ServerSetting(Base):
    __tablename__ = "server_settings"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    value: Mapped[Any] = mapped_column(JSONB, nullable=False)
    updated_at: Mapped[datetime] = updated_ts()
    updated_by: Mapped[uuid.UUID | None] = uuid_fk("users.id", ondelete="SET NULL")
