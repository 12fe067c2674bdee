"""Per-user state of a catalogue item: progress, played, favourite, play count.

Keyed to the item (kind + id), never to a file, so it survives renames, moves and
replacing a file with a better version.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, Float, Index, Integer, SmallInteger, String
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from revenge.catalog.columns import library_fk
from revenge.infra.db.base import Base, updated_ts, uuid_fk


class UserItemState(Base):
    __tablename__ = "user_item_state"
    __table_args__ = (
        Index("ix_user_item_state_item", "item_id"),
        Index("ix_user_item_state_recent", "user_id", "updated_at"),
    )

    user_id: Mapped[uuid.UUID] = uuid_fk("users.id", primary_key=True)
    item_kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    item_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    library_id: Mapped[uuid.UUID] = library_fk()
    position_seconds: Mapped[float] = mapped_column(Float, nullable=False, server_default="0")
    played: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="false")
    favourite: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="false")
    play_count: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    last_played_at: Mapped[datetime | None]
    # 1-5 stars, as Subsonic clients set them; None when unrated.
    rating: Mapped[int | None] = mapped_column(SmallInteger)
    updated_at: Mapped[datetime] = updated_ts()
