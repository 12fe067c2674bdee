"""Movies.

Revision ID: 0031
Revises: 0030
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "movies",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("library_id", sa.UUID(), nullable=False),
        sa.Column("group_key", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("sort_title", sa.Text(), nullable=False),
        sa.Column("original_title", sa.Text(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("overview", sa.Text(), nullable=True),
        sa.Column("is_3d", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("tmdb_id", sa.String(length=32), nullable=True),
        sa.Column("imdb_id", sa.String(length=32), nullable=True),
        sa.Column("tvdb_id", sa.String(length=32), nullable=True),
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
            name=op.f("fk_movies_library_id_libraries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_movies")),
    )
    op.create_index("ix_movies_library_sort", "movies", ["library_id", "sort_title"], unique=False)
    op.create_index("uq_movies_library_group", "movies", ["library_id", "group_key"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_movies_library_group", table_name="movies")
    op.drop_index("ix_movies_library_sort", table_name="movies")
    op.drop_table("movies")
