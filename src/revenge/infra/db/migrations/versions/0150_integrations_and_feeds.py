"""*arr integrations, their folder scan requests, podcast feed subscriptions and items.

Revision ID: 0150
Revises: 0140
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0150"
down_revision: str | None = "0140"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _stamps() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
    ]  # fmt: skip


def _id() -> sa.Column[object]:
    return sa.Column(
        "id", postgresql.UUID(as_uuid=True), server_default=sa.text("gen_random_uuid()"),
        nullable=False,
    )  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "integrations",
        _id(),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("path_mappings", postgresql.JSONB(), server_default=sa.text("'[]'::jsonb"),
                  nullable=False),
        sa.Column("enabled", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("last_event", sa.String(64)),
        sa.Column("last_event_at", sa.DateTime(timezone=True)),
        sa.Column("last_outcome", sa.Text()),
        *_stamps(),
        sa.CheckConstraint("kind IN ('radarr', 'sonarr', 'lidarr')",
                           name=op.f("ck_integrations_integration_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_integrations")),
        sa.UniqueConstraint("name", name=op.f("uq_integrations_name")),
    )  # fmt: skip
    op.create_table(
        "integration_scan_requests",
        sa.Column("library_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("folder", sa.Text(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True),
                  server_default=sa.text("clock_timestamp()"), nullable=False),
        sa.ForeignKeyConstraint(["library_id"], ["libraries.id"], ondelete="CASCADE",
                                name=op.f("fk_integration_scan_requests_library_id_libraries")),
        sa.PrimaryKeyConstraint("library_id", "folder", name=op.f("pk_integration_scan_requests")),
    )  # fmt: skip
    op.create_table(
        "podcast_feeds",
        _id(),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("library_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("mode", sa.String(16), server_default="download", nullable=False),
        *[sa.Column(name, sa.Text()) for name in (
            "folder", "title", "author", "description", "link", "image_url", "etag",
            "last_modified",
        )],
        sa.Column("status", sa.String(16), server_default="new", nullable=False),
        sa.Column("error", sa.Text()),
        sa.Column("last_polled_at", sa.DateTime(timezone=True)),
        sa.Column("last_changed_at", sa.DateTime(timezone=True)),
        *_stamps(),
        sa.CheckConstraint("mode IN ('download', 'stream')",
                           name=op.f("ck_podcast_feeds_feed_mode")),
        sa.CheckConstraint("status IN ('new', 'ok', 'error')",
                           name=op.f("ck_podcast_feeds_feed_status")),
        sa.ForeignKeyConstraint(["library_id"], ["libraries.id"], ondelete="CASCADE",
                                name=op.f("fk_podcast_feeds_library_id_libraries")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_podcast_feeds")),
        sa.UniqueConstraint("url", name=op.f("uq_podcast_feeds_url")),
    )  # fmt: skip
    op.create_table(
        "podcast_feed_episodes",
        _id(),
        sa.Column("feed_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("guid", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text()),
        sa.Column("published_at", sa.DateTime(timezone=True)),
        sa.Column("enclosure_url", sa.Text(), nullable=False),
        sa.Column("enclosure_type", sa.String(100)),
        sa.Column("enclosure_length", sa.BigInteger()),
        sa.Column("duration_seconds", sa.Float()),
        sa.Column("image_url", sa.Text()),
        sa.Column("status", sa.String(16), server_default="available", nullable=False),
        sa.Column("file_path", sa.Text()),
        sa.Column("error", sa.Text()),
        sa.Column("catalogued_at", sa.DateTime(timezone=True)),
        *_stamps(),
        sa.CheckConstraint(
            "status IN ('available', 'downloaded', 'failed', 'skipped', 'removed')",
            name=op.f("ck_podcast_feed_episodes_feed_episode_status"),
        ),
        sa.ForeignKeyConstraint(["feed_id"], ["podcast_feeds.id"], ondelete="CASCADE",
                                name=op.f("fk_podcast_feed_episodes_feed_id_podcast_feeds")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_podcast_feed_episodes")),
    )  # fmt: skip
    op.create_index(
        "uq_podcast_feed_episodes_feed_guid", "podcast_feed_episodes", ["feed_id", "guid"],
        unique=True,
    )  # fmt: skip
    op.create_index(
        "ix_podcast_feed_episodes_feed_published", "podcast_feed_episodes",
        ["feed_id", "published_at"],
    )  # fmt: skip


def downgrade() -> None:
    op.drop_table("podcast_feed_episodes")
    op.drop_table("podcast_feeds")
    op.drop_table("integration_scan_requests")
    op.drop_table("integrations")
