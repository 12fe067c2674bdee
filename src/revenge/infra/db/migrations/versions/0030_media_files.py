"""Media files and streams; scan progress columns.

Revision ID: 0030
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0030"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "media_files",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("library_id", sa.UUID(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("folder", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("mtime_ns", sa.BigInteger(), nullable=False),
        sa.Column("inode", sa.BigInteger(), nullable=False),
        sa.Column("device", sa.BigInteger(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("item_kind", sa.String(length=16), nullable=True),
        sa.Column("item_id", sa.UUID(), nullable=True),
        sa.Column("extra_type", sa.String(length=32), nullable=True),
        sa.Column("part", sa.Integer(), nullable=True),
        sa.Column("version", sa.Text(), nullable=True),
        sa.Column("missing_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("analysis", sa.String(length=8), server_default="pending", nullable=False),
        sa.Column("failure_reason", sa.Text(), nullable=True),
        sa.Column("container", sa.String(length=64), nullable=True),
        sa.Column("duration_seconds", sa.Float(), nullable=True),
        sa.Column("bit_rate", sa.BigInteger(), nullable=True),
        sa.Column("tags", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("has_embedded_art", sa.Boolean(), server_default="false", nullable=False),
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
        sa.CheckConstraint(
            "analysis IN ('pending', 'ok', 'failed')", name=op.f("ck_media_files_analysis")
        ),
        sa.CheckConstraint(
            "item_kind IN ('movie', 'series', 'episode', 'track', 'audiobook', 'podcast_episode')",
            name=op.f("ck_media_files_item_kind"),
        ),
        sa.CheckConstraint("kind IN ('video', 'audio')", name=op.f("ck_media_files_media_kind")),
        sa.ForeignKeyConstraint(
            ["library_id"],
            ["libraries.id"],
            name=op.f("fk_media_files_library_id_libraries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media_files")),
    )
    op.create_index(
        "ix_media_files_fingerprint", "media_files", ["library_id", "fingerprint"], unique=False
    )
    op.create_index("ix_media_files_item", "media_files", ["item_id"], unique=False)
    op.create_index(
        "ix_media_files_missing_since",
        "media_files",
        ["missing_since"],
        unique=False,
        postgresql_where=sa.text("missing_since IS NOT NULL"),
    )
    op.create_index(
        "uq_media_files_library_path", "media_files", ["library_id", "path"], unique=True
    )
    op.create_table(
        "media_streams",
        sa.Column("media_file_id", sa.UUID(), nullable=False),
        sa.Column("index", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("codec", sa.String(length=32), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("frame_rate", sa.Float(), nullable=True),
        sa.Column("channels", sa.Integer(), nullable=True),
        sa.Column("sample_rate", sa.Integer(), nullable=True),
        sa.Column("hdr", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("is_default", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("is_forced", sa.Boolean(), server_default="false", nullable=False),
        sa.CheckConstraint(
            "kind IN ('video', 'audio', 'subtitle', 'other')",
            name=op.f("ck_media_streams_stream_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["media_file_id"],
            ["media_files.id"],
            name=op.f("fk_media_streams_media_file_id_media_files"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("media_file_id", "index", name=op.f("pk_media_streams")),
    )
    op.add_column(
        "library_scans", sa.Column("files_moved", sa.Integer(), server_default="0", nullable=False)
    )
    op.add_column(
        "library_scans",
        sa.Column("files_processed", sa.Integer(), server_default="0", nullable=False),
    )
    op.add_column("library_scans", sa.Column("phase", sa.String(length=16), nullable=True))
    op.add_column(
        "library_scans",
        sa.Column("folders", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("media_streams")
    op.drop_index("uq_media_files_library_path", table_name="media_files")
    op.drop_index(
        "ix_media_files_missing_since",
        table_name="media_files",
        postgresql_where=sa.text("missing_since IS NOT NULL"),
    )
    op.drop_index("ix_media_files_item", table_name="media_files")
    op.drop_index("ix_media_files_fingerprint", table_name="media_files")
    op.drop_table("media_files")
