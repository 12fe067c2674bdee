"""Video and audio collections.

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "video_collections",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("library_id", sa.UUID(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=32), server_default="manual", nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=True),
        sa.Column("image_id", sa.UUID(), nullable=True),
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
            ["library_id"],
            ["libraries.id"],
            name=op.f("fk_video_collections_library_id_libraries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_video_collections")),
    )
    op.create_index(
        op.f("ix_video_collections_library_id"), "video_collections", ["library_id"], unique=False
    )
    op.create_table(
        "video_collection_movies",
        sa.Column("collection_id", sa.UUID(), nullable=False),
        sa.Column("movie_id", sa.UUID(), nullable=False),
        sa.Column("position", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["collection_id"],
            ["video_collections.id"],
            name=op.f("fk_video_collection_movies_collection_id_video_collections"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "collection_id", "movie_id", name=op.f("pk_video_collection_movies")
        ),
    )
    op.create_table(
        "video_collection_episodes",
        sa.Column("collection_id", sa.UUID(), nullable=False),
        sa.Column("episode_id", sa.UUID(), nullable=False),
        sa.Column("position", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["collection_id"],
            ["video_collections.id"],
            name=op.f("fk_video_collection_episodes_collection_id_video_collections"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "collection_id", "episode_id", name=op.f("pk_video_collection_episodes")
        ),
    )
    op.create_table(
        "audio_collections",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("library_id", sa.UUID(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=32), server_default="manual", nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=True),
        sa.Column("image_id", sa.UUID(), nullable=True),
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
            ["library_id"],
            ["libraries.id"],
            name=op.f("fk_audio_collections_library_id_libraries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audio_collections")),
    )
    op.create_index(
        op.f("ix_audio_collections_library_id"), "audio_collections", ["library_id"], unique=False
    )
    op.create_table(
        "audio_collection_tracks",
        sa.Column("collection_id", sa.UUID(), nullable=False),
        sa.Column("track_id", sa.UUID(), nullable=False),
        sa.Column("position", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["collection_id"],
            ["audio_collections.id"],
            name=op.f("fk_audio_collection_tracks_collection_id_audio_collections"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "collection_id", "track_id", name=op.f("pk_audio_collection_tracks")
        ),
    )
    op.create_table(
        "audio_collection_audiobooks",
        sa.Column("collection_id", sa.UUID(), nullable=False),
        sa.Column("audiobook_id", sa.UUID(), nullable=False),
        sa.Column("position", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["collection_id"],
            ["audio_collections.id"],
            name=op.f("fk_audio_collection_audiobooks_collection_id_audio_collections"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "collection_id", "audiobook_id", name=op.f("pk_audio_collection_audiobooks")
        ),
    )


def downgrade() -> None:
    op.drop_table("audio_collection_audiobooks")
    op.drop_table("audio_collection_tracks")
    op.drop_index(op.f("ix_audio_collections_library_id"), table_name="audio_collections")
    op.drop_table("audio_collections")
    op.drop_table("video_collection_episodes")
    op.drop_table("video_collection_movies")
    op.drop_index(op.f("ix_video_collections_library_id"), table_name="video_collections")
    op.drop_table("video_collections")
