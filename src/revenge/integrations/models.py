"""Inbound *arr integrations, folder scans they asked for, and podcast feed subscriptions."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, Float, Index, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from revenge.infra.db.base import Base, Timestamps, uuid_fk, uuid_pk

ARR_KINDS = ("radarr", "sonarr", "lidarr")
FEED_MODES = ("download", "stream")
FEED_STATUSES = ("new", "ok", "error")
EPISODE_STATUSES = ("available", "downloaded", "failed", "skipped", "removed")


class Integration(Timestamps, Base):
    """A Radarr, Sonarr or Lidarr instance allowed to call its webhook URL."""

    __tablename__ = "integrations"
    __table_args__ = (
        CheckConstraint("kind IN ('radarr', 'sonarr', 'lidarr')", name="integration_kind"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    name: Mapped[str] = mapped_column(String(100), nullable=False, unique=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    # SHA-256 of the secret: the secret itself is shown once, when created or rotated.
    secret_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    # [{"remote": "/data/tv", "local": "/srv/media/tv"}]: how its paths map onto ours.
    path_mappings: Mapped[list[dict[str, str]]] = mapped_column(
        JSONB, nullable=False, server_default=text("'[]'::jsonb")
    )
    enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="true")
    last_event: Mapped[str | None] = mapped_column(String(64))
    last_event_at: Mapped[datetime | None]
    last_outcome: Mapped[str | None] = mapped_column(Text)


class ScanRequest(Base):
    """A folder some integration (or feed download) wants scanned; coalesced per folder."""

    __tablename__ = "integration_scan_requests"

    library_id: Mapped[uuid.UUID] = uuid_fk("libraries.id", primary_key=True)
    folder: Mapped[str] = mapped_column(Text, primary_key=True)
    requested_at: Mapped[datetime] = mapped_column(server_default=text("clock_timestamp()"))


class PodcastFeed(Timestamps, Base):
    """A subscription to an RSS/Atom podcast feed, kept in one podcast library."""

    __tablename__ = "podcast_feeds"
    __table_args__ = (
        CheckConstraint("mode IN ('download', 'stream')", name="feed_mode"),
        CheckConstraint("status IN ('new', 'ok', 'error')", name="feed_status"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    url: Mapped[str] = mapped_column(Text, nullable=False, unique=True)
    library_id: Mapped[uuid.UUID] = uuid_fk("libraries.id", nullable=False)
    mode: Mapped[str] = mapped_column(String(16), nullable=False, server_default="download")
    # The show's folder under the library's first folder, fixed at the first good poll.
    folder: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(Text)
    image_url: Mapped[str | None] = mapped_column(Text)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), nullable=False, server_default="new")
    error: Mapped[str | None] = mapped_column(Text)
    last_polled_at: Mapped[datetime | None]
    last_changed_at: Mapped[datetime | None]


class PodcastFeedEpisode(Timestamps, Base):
    """One item of a feed: its enclosure, and whether it was downloaded."""

    __tablename__ = "podcast_feed_episodes"
    __table_args__ = (
        Index("uq_podcast_feed_episodes_feed_guid", "feed_id", "guid", unique=True),
        Index("ix_podcast_feed_episodes_feed_published", "feed_id", "published_at"),
        CheckConstraint(
            "status IN ('available', 'downloaded', 'failed', 'skipped', 'removed')",
            name="feed_episode_status",
        ),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    feed_id: Mapped[uuid.UUID] = uuid_fk("podcast_feeds.id", nullable=False)
    guid: Mapped[str] = mapped_column(Text, nullable=False)
    title: Mapped[str] = mapped_column(Text, nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None]
    enclosure_url: Mapped[str] = mapped_column(Text, nullable=False)
    enclosure_type: Mapped[str | None] = mapped_column(String(100))
    enclosure_length: Mapped[int | None] = mapped_column(BigInteger)
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    image_url: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), nullable=False, server_default="available")
    file_path: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    # When the feed's details were applied to the catalogued file's episode.
    catalogued_at: Mapped[datetime | None]
