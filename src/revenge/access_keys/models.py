"""Personal access keys, stored as SHA-256 hashes."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ARRAY, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from revenge.infra.db.base import Base, created_ts, uuid_fk, uuid_pk


class AccessKey(Base):
    __tablename__ = "access_keys"
    __table_args__ = (Index("uq_access_keys_key_hash", "key_hash", unique=True),)

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = uuid_fk("users.id", nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    key_hash: Mapped[bytes] = mapped_column(LargeBinary(32), nullable=False)
    prefix: Mapped[str] = mapped_column(String(16), nullable=False)
    scopes: Mapped[list[str]] = mapped_column(ARRAY(Text), nullable=False)
    created_at: Mapped[datetime] = created_ts()
    expires_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
