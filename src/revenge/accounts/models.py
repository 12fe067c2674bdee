"""Users and their links to OIDC providers."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, String, Text, func, text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from revenge.infra.db.base import Base, created_ts, updated_ts, uuid_pk


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        # Usernames are unique regardless of case ("Alice" and "alice" are one account).
        Index("uq_users_username_lower", func.lower(text("username")), unique=True),
        Index("ix_users_email_lower", func.lower(text("email"))),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    username: Mapped[str] = mapped_column(String(64), nullable=False)
    email: Mapped[str | None] = mapped_column(String(320))
    display_name: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16), nullable=False, server_default="user")
    disabled: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="false")
    created_at: Mapped[datetime] = created_ts()
    updated_at: Mapped[datetime] = updated_ts()
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class OidcProvider(Base):
    __tablename__ = "oidc_providers"

    id: Mapped[uuid.UUID] = uuid_pk()
    name: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    issuer: Mapped[str] = mapped_column(Text, nullable=False)
    client_id: Mapped[str] = mapped_column(Text, nullable=False)
    client_secret_encrypted: Mapped[str | None] = mapped_column(Text)
    scopes: Mapped[str] = mapped_column(Text, nullable=False, server_default="openid profile email")
    claim_mapping: Mapped[dict[str, str]] = mapped_column(
        JSONB, nullable=False, server_default=text("'{}'::jsonb")
    )
    auto_create_users: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="false")
    admin_group: Mapped[str | None] = mapped_column(Text)
    groups_claim: Mapped[str] = mapped_column(Text, nullable=False, server_default="groups")
    enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="true")
    created_at: Mapped[datetime] = created_ts()
    updated_at: Mapped[datetime] = updated_ts()


class OidcLink(Base):
    __tablename__ = "oidc_links"
    __table_args__ = (Index("uq_oidc_links_issuer_subject", "issuer", "subject", unique=True),)

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    provider_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("oidc_providers.id", ondelete="CASCADE"), nullable=False
    )
    issuer: Mapped[str] = mapped_column(Text, nullable=False)
    subject: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = created_ts()
