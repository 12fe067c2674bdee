"""Provider credentials: third-party API keys, encrypted at rest."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from revenge.infra.db.base import Base, created_ts, updated_ts, uuid_fk, uuid_pk


class ProviderCredential(Base):
    __tablename__ = "provider_credentials"

    id: Mapped[uuid.UUID] = uuid_pk()
    service: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    encrypted_value: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    key_id: Mapped[str] = mapped_column(String(64), nullable=False)
    created_by: Mapped[uuid.UUID | None] = uuid_fk("users.id", ondelete="SET NULL")
    created_at: Mapped[datetime] = created_ts()
    updated_at: Mapped[datetime] = updated_ts()
    last_used_at: Mapped[datetime | None]
