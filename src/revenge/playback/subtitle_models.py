"""Subtitle files found next to a video, stored with its media file at scan time.

Embedded subtitle streams are already rows of `media_streams`; together the two tables give
every subtitle track of a file without touching the disk.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from revenge.infra.db.base import Base, uuid_fk


class MediaSubtitle(Base):
    """One subtitle file beside a video (`Movie.en.forced.srt` beside `Movie.mkv`)."""

    __tablename__ = "media_subtitles"

    media_file_id: Mapped[uuid.UUID] = uuid_fk("media_files.id", primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The name only: the file lives in the video's folder, and is opened there, confined.
    file_name: Mapped[str] = mapped_column(Text, nullable=False)
    format: Mapped[str] = mapped_column(String(16), nullable=False)
    language: Mapped[str | None] = mapped_column(String(35))
    title: Mapped[str | None] = mapped_column(Text)
    is_default: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="false")
    is_forced: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="false")
    is_sdh: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="false")
