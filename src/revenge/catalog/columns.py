"""Column helpers shared by the content modules' tables."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Mapped, mapped_column


def library_fk() -> Mapped[uuid.UUID]:
    """The owning library; deleting it deletes the row (never any file)."""
    return mapped_column(
        UUID(as_uuid=True), ForeignKey("libraries.id", ondelete="CASCADE"), nullable=False
    )


def group_key() -> Mapped[str]:
    """The path-derived key files are grouped by; unique per library with the row's table."""
    return mapped_column(Text, nullable=False)


def parent_fk(target: str) -> Mapped[uuid.UUID]:
    """A required parent row, deleted with it."""
    return mapped_column(
        UUID(as_uuid=True), ForeignKey(target, ondelete="CASCADE"), nullable=False, index=True
    )


def text_array() -> Mapped[list[str] | None]:
    """A list of short texts (genres)."""
    return mapped_column(ARRAY(Text))


def locked_fields() -> Mapped[list[str]]:
    """Fields a person edited; metadata fetches leave them alone."""
    return mapped_column(ARRAY(Text), nullable=False, server_default="{}")


def metadata_status() -> Mapped[str | None]:
    """The last fetch's outcome: matched, local, ambiguous or unmatched."""
    return mapped_column(String(16))


def metadata_reason() -> Mapped[str | None]:
    return mapped_column(Text)


def metadata_fetched_at() -> Mapped[datetime | None]:
    return mapped_column(DateTime(timezone=True))
