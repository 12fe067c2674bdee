"""Subtitle files next to videos, found at scan time.

Revision ID: 0130
Revises: 0120
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0130"
down_revision: str | None = "0120"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "media_subtitles",
        sa.Column("media_file_id", sa.UUID(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("language", sa.String(35)),
        sa.Column("title", sa.Text()),
        *(
            sa.Column(name, sa.Boolean(), server_default="false", nullable=False)
            for name in ("is_default", "is_forced", "is_sdh")
        ),
        sa.ForeignKeyConstraint(
            ["media_file_id"],
            ["media_files.id"],
            name=op.f("fk_media_subtitles_media_file_id_media_files"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("media_file_id", "position", name=op.f("pk_media_subtitles")),
    )


def downgrade() -> None:
    op.drop_table("media_subtitles")
