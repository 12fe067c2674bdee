"""One automatic collection per (library, provider, provider id).

Revision ID: 0051
Revises: 0050
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0051"
down_revision: str | None = "0050"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("video_collections", "audio_collections")


def upgrade() -> None:
    for table in TABLES:
        op.create_index(
            f"uq_{table}_external", table, ["library_id", "source", "external_id"],
            unique=True, postgresql_where=sa.text("external_id IS NOT NULL"),
        )  # fmt: skip


def downgrade() -> None:
    for table in TABLES:
        op.drop_index(f"uq_{table}_external", table_name=table)
