"""Stored images (content-addressed) and where each one came from."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from revenge.infra.db.base import Base, Timestamps, created_ts, updated_ts, uuid_fk, uuid_pk

IMAGE_FORMATS = ("jpeg", "png", "webp", "gif", "avif")
SOURCE_STATUSES = ("stored", "refused", "failed")


class Image(Base):
    """One distinct image file; identical bytes are stored once (unique content hash)."""

    __tablename__ = "images"
    __table_args__ = (
        CheckConstraint("format IN ('jpeg', 'png', 'webp', 'gif', 'avif')", name="image_format"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    content_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    format: Mapped[str] = mapped_column(String(8), nullable=False)
    width: Mapped[int] = mapped_column(Integer, nullable=False)
    height: Mapped[int] = mapped_column(Integer, nullable=False)
    size_bytes: Mapped[int] = mapped_column(BigInteger, nullable=False)
    blurhash: Mapped[str | None] = mapped_column(String(100))
    dominant_color: Mapped[str | None] = mapped_column(String(7))
    created_at: Mapped[datetime] = created_ts()


class ImageSource(Timestamps, Base):
    """A URL or local file we tried to store, with the outcome and, when refused, why."""

    __tablename__ = "image_sources"
    __table_args__ = (
        CheckConstraint("status IN ('stored', 'refused', 'failed')", name="image_source_status"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    source: Mapped[str] = mapped_column(Text, nullable=False, unique=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    reason: Mapped[str | None] = mapped_column(Text)
    image_id: Mapped[uuid.UUID | None] = uuid_fk("images.id", ondelete="SET NULL", index=True)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")


class ItemImage(Base):
    """Which stored image is a catalogue item's poster, backdrop, logo...; one per kind."""

    __tablename__ = "item_images"
    __table_args__ = (UniqueConstraint("item_kind", "item_id", "kind"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    item_kind: Mapped[str] = mapped_column(String(16), nullable=False)
    item_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    image_id: Mapped[uuid.UUID] = uuid_fk("images.id", nullable=False, index=True)
    updated_at: Mapped[datetime] = updated_ts()
