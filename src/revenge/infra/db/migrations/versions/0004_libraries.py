"""Libraries, folders, scans and per-user access.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "libraries",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("enabled", sa.Boolean(), server_default="true", nullable=False),
        sa.Column(
            "scan_settings",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column("preferred_language", sa.String(length=16), nullable=True),
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
            "type IN ('movie', 'tv', 'music', 'audiobook', 'podcast')",
            name=op.f("ck_libraries_library_type"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_libraries")),
        sa.UniqueConstraint("name", name=op.f("uq_libraries_name")),
    )
    op.create_table(
        "library_paths",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("library_id", sa.UUID(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["library_id"],
            ["libraries.id"],
            name=op.f("fk_library_paths_library_id_libraries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_library_paths")),
        sa.UniqueConstraint("path", name=op.f("uq_library_paths_path")),
    )
    op.create_index(
        op.f("ix_library_paths_library_id"), "library_paths", ["library_id"], unique=False
    )
    op.create_table(
        "library_scans",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("library_id", sa.UUID(), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="queued", nullable=False),
        sa.Column("files_seen", sa.Integer(), server_default="0", nullable=False),
        sa.Column("files_added", sa.Integer(), server_default="0", nullable=False),
        sa.Column("files_updated", sa.Integer(), server_default="0", nullable=False),
        sa.Column("files_missing", sa.Integer(), server_default="0", nullable=False),
        sa.Column("files_failed", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "started_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'completed', 'failed', 'cancelled')",
            name=op.f("ck_library_scans_scan_status"),
        ),
        sa.CheckConstraint(
            "type IN ('full', 'incremental')", name=op.f("ck_library_scans_scan_type")
        ),
        sa.ForeignKeyConstraint(
            ["library_id"],
            ["libraries.id"],
            name=op.f("fk_library_scans_library_id_libraries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_library_scans")),
    )
    op.create_index(
        "ix_library_scans_library_started",
        "library_scans",
        ["library_id", sa.literal_column("started_at DESC")],
        unique=False,
    )
    op.create_table(
        "library_access",
        sa.Column("library_id", sa.UUID(), nullable=False),
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["library_id"],
            ["libraries.id"],
            name=op.f("fk_library_access_library_id_libraries"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_library_access_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("library_id", "user_id", name=op.f("pk_library_access")),
    )
    op.create_index(op.f("ix_library_access_user_id"), "library_access", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_library_access_user_id"), table_name="library_access")
    op.drop_table("library_access")
    op.drop_index("ix_library_scans_library_started", table_name="library_scans")
    op.drop_table("library_scans")
    op.drop_index(op.f("ix_library_paths_library_id"), table_name="library_paths")
    op.drop_table("library_paths")
    op.drop_table("libraries")
