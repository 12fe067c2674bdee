"""Sign-in sessions; tokens are stored only as hashes."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Index,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import INET
from sqlalchemy.orm import Mapped, mapped_column

from revenge.infra.db.base import Base, created_ts, uuid_fk, uuid_pk


class Session(Base):
    __tablename__ = "sessions"
    # The INSERT returns the server-made columns (ids, times): no read after it.
    __mapper_args__ = {"eager_defaults": True}
    __table_args__ = (
        Index("uq_sessions_token_hash", "token_hash", unique=True),
        Index("uq_sessions_refresh_token_hash", "refresh_token_hash", unique=True),
        Index(
            "ix_sessions_user_active",
            "user_id",
            "created_at",
            postgresql_where=text("revoked_at IS NULL"),
        ),
        Index("ix_sessions_expires_at", "expires_at"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = uuid_fk("users.id", nullable=False)
    token_hash: Mapped[bytes] = mapped_column(LargeBinary(32), nullable=False)
    refresh_token_hash: Mapped[bytes] = mapped_column(LargeBinary(32), nullable=False)
    previous_refresh_token_hash: Mapped[bytes | None] = mapped_column(LargeBinary(32))
    device_id: Mapped[str | None] = mapped_column(String(200))
    device_name: Mapped[str | None] = mapped_column(String(200))
    client_name: Mapped[str | None] = mapped_column(String(200))
    client_version: Mapped[str | None] = mapped_column(String(64))
    ip_address: Mapped[str | None] = mapped_column(INET)
    user_agent: Mapped[str | None] = mapped_column(Text)
    # "password" or "oidc": administrators required to use two factors are held to it only
    # for password sign-ins (an identity provider decides its own factors).
    auth_method: Mapped[str] = mapped_column(String(16), nullable=False, server_default="password")
    created_at: Mapped[datetime] = created_ts()
    last_activity_at: Mapped[datetime] = created_ts()
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(String(64))


class RetiredRefreshToken(Base):
    """A refresh token already rotated away: presenting it again revokes its session."""

    __tablename__ = "retired_refresh_tokens"

    token_hash: Mapped[bytes] = mapped_column(LargeBinary(32), primary_key=True)
    session_id: Mapped[uuid.UUID] = uuid_fk("sessions.id", nullable=False, index=True)
    retired_at: Mapped[datetime] = created_ts()


class SessionEpoch(Base):
    """One counter bumped in the transaction of every revocation (see sessions.service)."""

    __tablename__ = "session_epoch"
    __table_args__ = (CheckConstraint("id = 1", name="ck_session_epoch_single_row"),)

    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, nullable=False, server_default="0")
