"""Users, their links to OIDC providers, sign-in flows in progress and failed logins."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Index,
    LargeBinary,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import INET, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from revenge.infra.db.base import (
    Base,
    Timestamps,
    created_ts,
    serial_pk,
    updated_ts,
    uuid_fk,
    uuid_pk,
)


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
    # True: the user sees every library; False: only those listed in library_access.
    all_libraries: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="true")
    created_at: Mapped[datetime] = created_ts()
    updated_at: Mapped[datetime] = updated_ts()
    last_login_at: Mapped[datetime | None]
    # Two-factor sign-in: the TOTP secret sealed with the server's secret box; it counts
    # only once confirmed (`totp_enabled_at`), a pending enrolment has no date yet.
    totp_secret_encrypted: Mapped[str | None] = mapped_column(Text)
    totp_enabled_at: Mapped[datetime | None]
    # The 30-second step of the last accepted code: a code is accepted once (RFC 6238 5.2).
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)


class RecoveryCode(Base):
    """One single-use recovery code of a user with two-factor sign-in (stored hashed)."""

    __tablename__ = "recovery_codes"
    __table_args__ = (Index("ix_recovery_codes_user", "user_id"),)

    id: Mapped[int] = serial_pk()
    user_id: Mapped[uuid.UUID] = uuid_fk("users.id", nullable=False)
    code_hash: Mapped[bytes] = mapped_column(LargeBinary(32), nullable=False)
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = created_ts()


class OidcProvider(Timestamps, Base):
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


class OidcLink(Base):
    __tablename__ = "oidc_links"
    __table_args__ = (Index("uq_oidc_links_issuer_subject", "issuer", "subject", unique=True),)

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = uuid_fk("users.id", nullable=False, index=True)
    provider_id: Mapped[uuid.UUID] = uuid_fk("oidc_providers.id", nullable=False)
    issuer: Mapped[str] = mapped_column(Text, nullable=False)
    subject: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = created_ts()


class OidcFlow(Base):
    """A sign-in in progress: the state sent to the provider, or the one-time login code after."""

    __tablename__ = "oidc_flows"
    __table_args__ = (Index("ix_oidc_flows_expires_at", "expires_at"),)

    # sha256 of the state (kind "state") or of the one-time login code (kind "login").
    key_hash: Mapped[bytes] = mapped_column(LargeBinary(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    provider_id: Mapped[uuid.UUID | None] = uuid_fk("oidc_providers.id")
    user_id: Mapped[uuid.UUID | None] = uuid_fk("users.id")
    data: Mapped[dict[str, str]] = mapped_column(
        JSONB, nullable=False, server_default=text("'{}'::jsonb")
    )
    created_at: Mapped[datetime] = created_ts()
    expires_at: Mapped[datetime]


class LoginFailure(Base):
    """One failed sign-in; counted for rate limits when Redis is not available."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_account_time", "account", "created_at"),
        Index("ix_login_failures_ip_time", "ip_address", "created_at"),
    )

    id: Mapped[int] = serial_pk()
    account: Mapped[str] = mapped_column(String(64), nullable=False)
    ip_address: Mapped[str | None] = mapped_column(INET)
    created_at: Mapped[datetime] = created_ts()


class AppPassword(Base):
    """A generated password for one Subsonic app: sealed (token auth needs the plain value)."""

    __tablename__ = "app_passwords"

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = uuid_fk("users.id", nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    secret_encrypted: Mapped[str] = mapped_column(Text, nullable=False)
    prefix: Mapped[str] = mapped_column(String(8), nullable=False)
    created_at: Mapped[datetime] = created_ts()
    last_used_at: Mapped[datetime | None]
