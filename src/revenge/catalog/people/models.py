"""People and their credits on catalogue items.

A person is shared by every library: the same actor in two movies is one row, found again by
a provider id (TMDb, TheTVDB, MusicBrainz, IMDb) or, when no source gave one, by the folded
name. A credit links a person to an item as (item_kind, item_id) like media files do, so each
content module keeps its own tables.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from revenge.infra.db.base import Base, created_ts, updated_ts, uuid_fk, uuid_pk


class Person(Base):
    __tablename__ = "people"
    __table_args__ = (Index("uq_people_key", "key", unique=True),)

    id: Mapped[uuid.UUID] = uuid_pk()
    # "tmdb:17419", "tvdb:...", "musicbrainz:...", "imdb:nm...", or "name:<folded name>".
    key: Mapped[str] = mapped_column(String(120), nullable=False)
    name: Mapped[str] = mapped_column(Text, nullable=False)
    tmdb_id: Mapped[str | None] = mapped_column(String(32))
    tvdb_id: Mapped[str | None] = mapped_column(String(32))
    imdb_id: Mapped[str | None] = mapped_column(String(32))
    musicbrainz_id: Mapped[str | None] = mapped_column(String(36))
    image_url: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_ts()
    updated_at: Mapped[datetime] = updated_ts()


class ItemPerson(Base):
    """One credit: a person's role (and character) on an item, in billing order."""

    __tablename__ = "item_people"
    __table_args__ = (Index("ix_item_people_person", "person_id", "item_kind"),)

    item_kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    item_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[uuid.UUID] = uuid_fk("people.id", nullable=False)
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    character: Mapped[str | None] = mapped_column(Text)
