"""Audiobooks, their people and chapters.

Revision ID: 0034
Revises: 0033
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0034"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audiobooks",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("library_id", sa.UUID(), nullable=False),
        sa.Column("group_key", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("sort_title", sa.Text(), nullable=False),
        sa.Column("series_name", sa.Text(), nullable=True),
        sa.Column("series_position", sa.Float(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("duration_seconds", sa.Float(), nullable=True),
        sa.Column("isbn", sa.String(length=20), nullable=True),
        sa.Column("asin", sa.String(length=20), nullable=True),
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
            name=op.f("fk_audiobooks_library_id_libraries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audiobooks")),
    )
    op.create_index(
        "ix_audiobooks_library_sort", "audiobooks", ["library_id", "sort_title"], unique=False
    )
    op.create_index(
        "uq_audiobooks_library_group", "audiobooks", ["library_id", "group_key"], unique=True
    )
    op.create_table(
        "audiobook_people",
        sa.Column("audiobook_id", sa.UUID(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "role IN ('author', 'narrator')", name=op.f("ck_audiobook_people_person_role")
        ),
        sa.ForeignKeyConstraint(
            ["audiobook_id"],
            ["audiobooks.id"],
            name=op.f("fk_audiobook_people_audiobook_id_audiobooks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "audiobook_id", "role", "position", name=op.f("pk_audiobook_people")
        ),
    )
    op.create_table(
        "audiobook_chapters",
        sa.Column("audiobook_id", sa.UUID(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("media_file_id", sa.UUID(), nullable=True),
        sa.Column("start_seconds", sa.Float(), server_default="0", nullable=False),
        sa.Column("end_seconds", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["audiobook_id"],
            ["audiobooks.id"],
            name=op.f("fk_audiobook_chapters_audiobook_id_audiobooks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["media_file_id"],
            ["media_files.id"],
            name=op.f("fk_audiobook_chapters_media_file_id_media_files"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("audiobook_id", "position", name=op.f("pk_audiobook_chapters")),
    )
    op.create_index(
        op.f("ix_audiobook_chapters_media_file_id"),
        "audiobook_chapters",
        ["media_file_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_table("audiobook_people")
    op.drop_index(op.f("ix_audiobook_chapters_media_file_id"), table_name="audiobook_chapters")
    op.drop_table("audiobook_chapters")
    op.drop_index("uq_audiobooks_library_group", table_name="audiobooks")
    op.drop_index("ix_audiobooks_library_sort", table_name="audiobooks")
    op.drop_table("audiobooks")
