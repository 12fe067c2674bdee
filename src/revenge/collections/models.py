"""Video and audio collections per library, with ordered members."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Float, Index, String, Text, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from revenge.catalog.registry import KINDS
from revenge.infra.db.base import Base, created_ts, updated_ts, uuid_fk, uuid_pk


class _CollectionColumns:
    id: Mapped[uuid.UUID] = uuid_pk()
    library_id: Mapped[uuid.UUID | None] = uuid_fk("libraries.id", index=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(32), nullable=False, server_default="manual")
    external_id: Mapped[str | None] = mapped_column(String(64))
    image_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    created_at: Mapped[datetime] = created_ts()
    updated_at: Mapped[datetime] = updated_ts()


def _external(table: str) -> Index:
    """One automatic collection per provider id and library (ensure_collection relies on it)."""
    return Index(
        f"uq_{table}_external", "library_id", "source", "external_id", unique=True,
        postgresql_where=text("external_id IS NOT NULL"),
    )  # fmt: skip


class VideoCollection(_CollectionColumns, Base):
    __tablename__ = "video_collections"
    __table_args__ = (_external("video_collections"),)


class AudioCollection(_CollectionColumns, Base):
    __tablename__ = "audio_collections"
    __table_args__ = (_external("audio_collections"),)


def _member_table(collection: type[Base], item_table: str, item_column: str) -> type[Base]:
    """The ordered members of one item kind in one collection table."""
    table = f"{collection.__tablename__.removesuffix('s')}_{item_table}"
    columns: dict[str, Any] = {
        "__tablename__": table,
        "collection_id": uuid_fk(f"{collection.__tablename__}.id", primary_key=True),
        item_column: mapped_column(UUID(as_uuid=True), primary_key=True),
        "position": mapped_column(Float, nullable=False),
    }
    name = collection.__name__ + "".join(p.title() for p in item_column[:-3].split("_"))
    return type(name, (Base,), columns)


COLLECTIONS: dict[str, Any] = {"video": VideoCollection, "audio": AudioCollection}
# Member table and its item column, by item kind: one per kind a collection may hold (a
# series or an album is one member; its episodes or tracks are not listed one by one).
MEMBERS: dict[str, tuple[Any, str]] = {
    kind.name: (
        _member_table(COLLECTIONS[kind.collection], kind.table, f"{kind.name}_id"),
        f"{kind.name}_id",
    )
    for kind in KINDS
    if kind.collection is not None
}
MEMBER_TYPES = {
    media: KINDS.names(lambda k, media=media: k.collection == media)  # type: ignore[misc]
    for media in COLLECTIONS
}
