"""Column helpers shared by the content modules' tables."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Float, Index, Integer, String, Text, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from revenge.infra.db.base import created_ts, updated_ts, uuid_fk, uuid_pk


def library_fk() -> Mapped[uuid.UUID]:
    """The owning library; deleting it deletes the row (never any file)."""
    return uuid_fk("libraries.id", nullable=False)


def group_key() -> Mapped[str]:
    """The path-derived key files are grouped by; unique per library with the row's table."""
    return mapped_column(Text, nullable=False)


def parent_fk(target: str) -> Mapped[uuid.UUID]:
    """A required parent row, deleted with it."""
    return uuid_fk(target, nullable=False, index=True)


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
    return mapped_column()


class CatalogRow:
    """What every catalogue item's row has: its id, library, the key its files are grouped
    by, and timestamps."""

    id: Mapped[uuid.UUID] = uuid_pk()
    library_id: Mapped[uuid.UUID] = library_fk()
    group_key: Mapped[str] = group_key()
    created_at: Mapped[datetime] = created_ts()
    updated_at: Mapped[datetime] = updated_ts()


class MetadataState:
    """How the last metadata fetch went, for items described by providers."""

    metadata_status: Mapped[str | None] = metadata_status()
    metadata_reason: Mapped[str | None] = metadata_reason()
    metadata_fetched_at: Mapped[datetime | None] = metadata_fetched_at()


class Titled:
    """A listed item's title and the key it sorts by."""

    title: Mapped[str] = mapped_column(Text, nullable=False)
    sort_title: Mapped[str] = mapped_column(Text, nullable=False)


class ProviderIds:
    """The item's ids at the video metadata providers."""

    tvdb_id: Mapped[str | None] = mapped_column(String(32))
    tmdb_id: Mapped[str | None] = mapped_column(String(32))
    imdb_id: Mapped[str | None] = mapped_column(String(32))


class Scores:
    """Average audience score out of 10 (TMDb, TheTVDB or the NFO), and minutes per the
    source."""

    community_rating: Mapped[float | None] = mapped_column(Float)
    runtime_minutes: Mapped[int | None] = mapped_column(Integer)


class Featured(Titled, ProviderIds, Scores):
    """A film or a series: what the providers describe and people may edit (and lock)."""

    original_title: Mapped[str | None] = mapped_column(Text)
    year: Mapped[int | None] = mapped_column(Integer)
    overview: Mapped[str | None] = mapped_column(Text)
    genres: Mapped[list[str] | None] = text_array()
    locked_fields: Mapped[list[str]] = locked_fields()


def listed(
    table: str, sort: str = "sort_title", order: str = "title", *, added: bool = True
) -> tuple[Index, ...]:
    """The indexes of a browsable table: one row per group key and library, listing by sort
    title (per library and across them) and, for top-level items, by date added."""
    found = [
        Index(f"uq_{table}_library_group", "library_id", "group_key", unique=True),
        Index(f"ix_{table}_library_sort", "library_id", sort),
        Index(f"ix_{table}_{order}_order", sort, "id"),
    ]
    if added:
        found.append(Index(f"ix_{table}_added", "created_at", "id"))
    return tuple(found)


def nullable_sort(table: str, name: str, column: str) -> tuple[Index, Index]:
    """The indexes of a sort key that may be NULL, in both directions: lists put NULLs last
    either way, and a (key, id) index read backwards would give them first."""
    return (
        Index(f"ix_{table}_{name}", column, "id"),
        Index(f"ix_{table}_{name}_desc", text(f"{column} DESC NULLS LAST"), text("id DESC")),
    )


def grouped(table: str) -> Index:
    """One row per group key and library."""
    return Index(f"uq_{table}_library_group", "library_id", "group_key", unique=True)
