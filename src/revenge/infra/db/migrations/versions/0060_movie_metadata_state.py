"""Movie metadata state: locked fields, genres, and the last fetch's status and reason.

Revision ID: 0060
Revises: 0052
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0060"
down_revision: str | None = "0052"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    text_array = postgresql.ARRAY(sa.Text())
    op.add_column("movies", sa.Column("genres", text_array))
    op.add_column(
        "movies",
        sa.Column("locked_fields", text_array, nullable=False, server_default="{}"),
    )
    op.add_column("movies", sa.Column("metadata_status", sa.String(16)))
    op.add_column("movies", sa.Column("metadata_reason", sa.Text()))
    op.add_column("movies", sa.Column("metadata_fetched_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    for column in (
        "metadata_fetched_at",
        "metadata_reason",
        "metadata_status",
        "locked_fields",
        "genres",
    ):
        op.drop_column("movies", column)
