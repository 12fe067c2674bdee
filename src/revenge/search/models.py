"""The search index: one document per searchable catalogue item."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, Integer, String, Text, text
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR, UUID
from sqlalchemy.orm import Mapped, mapped_column

from revenge.catalog.columns import library_fk
from revenge.infra.db.base import Base, updated_ts


class SearchDocument(Base):
    """Texts are folded (accents, case, punctuation) in Python: PostgreSQL has no unaccent."""

    __tablename__ = "search_documents"
    __table_args__ = (
        Index("ix_search_documents_document", "document", postgresql_using="gin"),
        Index("ix_search_documents_title_document", "title_document", postgresql_using="gin"),
        Index("ix_search_documents_library_type", "library_id", "item_type"),
        Index("ix_search_documents_folded_title", text('(folded_title COLLATE "C")')),
        # A search of one kind reads that kind's titles in order (migration 0250).
        Index(
            "ix_search_documents_type_title_length",
            "item_type",
            text("length(folded_title)"),
            "folded_title",
        ),
        Index(
            "ix_search_documents_type_folded_title", "item_type", text('(folded_title COLLATE "C")')
        ),
    )

    item_type: Mapped[str] = mapped_column(String(16), primary_key=True)
    item_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    library_id: Mapped[uuid.UUID] = library_fk()
    title: Mapped[str] = mapped_column(Text, nullable=False)
    original_title: Mapped[str | None] = mapped_column(Text)
    sort_title: Mapped[str | None] = mapped_column(Text)
    names: Mapped[str | None] = mapped_column(Text)
    people: Mapped[str | None] = mapped_column(Text)
    genres: Mapped[list[str]] = mapped_column(
        ARRAY(Text), nullable=False, server_default=text("'{}'::text[]")
    )
    year: Mapped[int | None] = mapped_column(Integer)
    overview: Mapped[str | None] = mapped_column(Text)
    folded_title: Mapped[str] = mapped_column(Text, nullable=False)
    folded_names: Mapped[str] = mapped_column(Text, nullable=False, server_default="")
    document: Mapped[str] = mapped_column(TSVECTOR, nullable=False)
    # Title and name words only (weights A and B): what ranking tests a match against.
    title_document: Mapped[str] = mapped_column(
        TSVECTOR, nullable=False, server_default=text("''::tsvector")
    )
    updated_at: Mapped[datetime] = updated_ts()
