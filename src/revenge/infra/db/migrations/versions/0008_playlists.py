"""Video and audio playlists.

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "video_playlists",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("is_public", sa.Boolean(), server_default="false", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_video_playlists_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_video_playlists")),
    )
    op.create_index(
        op.f("ix_video_playlists_user_id"), "video_playlists", ["user_id"], unique=False
    )
    op.create_table(
        "video_playlist_items",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("playlist_id", sa.UUID(), nullable=False),
        sa.Column("item_type", sa.String(length=16), nullable=False),
        sa.Column("item_id", sa.UUID(), nullable=False),
        sa.Column("position", sa.Float(), nullable=False),
        sa.Column(
            "added_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.CheckConstraint(
            "item_type IN ('movie', 'episode')", name=op.f("ck_video_playlist_items_item_type")
        ),
        sa.ForeignKeyConstraint(
            ["playlist_id"],
            ["video_playlists.id"],
            name=op.f("fk_video_playlist_items_playlist_id_video_playlists"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_video_playlist_items")),
    )
    op.create_index(
        "ix_video_playlist_items_playlist_position",
        "video_playlist_items",
        ["playlist_id", "position"],
        unique=False,
    )
    op.create_table(
        "audio_playlists",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("is_public", sa.Boolean(), server_default="false", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_audio_playlists_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audio_playlists")),
    )
    op.create_index(
        op.f("ix_audio_playlists_user_id"), "audio_playlists", ["user_id"], unique=False
    )
    op.create_table(
        "audio_playlist_items",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("playlist_id", sa.UUID(), nullable=False),
        sa.Column("item_type", sa.String(length=24), nullable=False),
        sa.Column("item_id", sa.UUID(), nullable=False),
        sa.Column("position", sa.Float(), nullable=False),
        sa.Column(
            "added_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.CheckConstraint(
            "item_type IN ('track', 'audiobook_chapter', 'podcast_episode')",
            name=op.f("ck_audio_playlist_items_item_type"),
        ),
        sa.ForeignKeyConstraint(
            ["playlist_id"],
            ["audio_playlists.id"],
            name=op.f("fk_audio_playlist_items_playlist_id_audio_playlists"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audio_playlist_items")),
    )
    op.create_index(
        "ix_audio_playlist_items_playlist_position",
        "audio_playlist_items",
        ["playlist_id", "position"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_audio_playlist_items_playlist_position", table_name="audio_playlist_items")
    op.drop_table("audio_playlist_items")
    op.drop_index(op.f("ix_audio_playlists_user_id"), table_name="audio_playlists")
    op.drop_table("audio_playlists")
    op.drop_index("ix_video_playlist_items_playlist_position", table_name="video_playlist_items")
    op.drop_table("video_playlist_items")
    op.drop_index(op.f("ix_video_playlists_user_id"), table_name="video_playlists")
    op.drop_table("video_playlists")
