"""Column helpers shared by the content modules' tables."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, Text
from sqlalchemy.dialects.postgresql import UUID
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
