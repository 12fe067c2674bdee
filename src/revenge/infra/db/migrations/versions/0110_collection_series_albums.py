"""Collections hold whole series (video) and whole albums (audio).

Revision ID: 0110
Revises: 0100
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0110"
down_revision: str | None = "0100"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (member table, collection table, item column)
_TABLES = (
    ("video_collection_series", "video_collections", "series_id"),
    ("audio_collection_albums", "audio_collections", "album_id"),
)


def upgrade() -> None:
    for table, parent, column in _TABLES:
        op.create_table(
            table,
            sa.Column("collection_id", sa.UUID(), nullable=False),
            sa.Column(column, sa.UUID(), nullable=False),
            sa.Column("position", sa.Float(), nullable=False),
            sa.ForeignKeyConstraint(
                ["collection_id"],
                [f"{parent}.id"],
                name=op.f(f"fk_{table}_collection_id_{parent}"),
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint("collection_id", column, name=op.f(f"pk_{table}")),
        )


def downgrade() -> None:
    for table, _, _ in reversed(_TABLES):
        op.drop_table(table)
