"""Tv series, seasons and episodes.

Revision ID: 0032
Revises: 0031
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0032"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "series",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("library_id", sa.UUID(), nullable=False),
        sa.Column("group_key", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("sort_title", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("overview", sa.Text(), nullable=True),
        sa.Column("tvdb_id", sa.String(length=32), nullable=True),
        sa.Column("tmdb_id", sa.String(length=32), nullable=True),
        sa.Column("imdb_id", sa.String(length=32), nullable=True),
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
            name=op.f("fk_series_library_id_libraries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_series")),
    )
    op.create_index("ix_series_library_sort", "series", ["library_id", "sort_title"], unique=False)
    op.create_index("uq_series_library_group", "series", ["library_id", "group_key"], unique=True)
    op.create_table(
        "seasons",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("library_id", sa.UUID(), nullable=False),
        sa.Column("group_key", sa.Text(), nullable=False),
        sa.Column("series_id", sa.UUID(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
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
            name=op.f("fk_seasons_library_id_libraries"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["series_id"],
            ["series.id"],
            name=op.f("fk_seasons_series_id_series"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seasons")),
    )
    op.create_index(op.f("ix_seasons_series_id"), "seasons", ["series_id"], unique=False)
    op.create_index("uq_seasons_library_group", "seasons", ["library_id", "group_key"], unique=True)
    op.create_table(
        "episodes",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("library_id", sa.UUID(), nullable=False),
        sa.Column("group_key", sa.Text(), nullable=False),
        sa.Column("series_id", sa.UUID(), nullable=False),
        sa.Column("season_id", sa.UUID(), nullable=False),
        sa.Column("season_number", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("ending_number", sa.Integer(), nullable=True),
        sa.Column("absolute_number", sa.Integer(), nullable=True),
        sa.Column("air_date", sa.Date(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("overview", sa.Text(), nullable=True),
        sa.Column("tvdb_id", sa.String(length=32), nullable=True),
        sa.Column("tmdb_id", sa.String(length=32), nullable=True),
        sa.Column("imdb_id", sa.String(length=32), nullable=True),
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
            name=op.f("fk_episodes_library_id_libraries"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["season_id"],
            ["seasons.id"],
            name=op.f("fk_episodes_season_id_seasons"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["series_id"],
            ["series.id"],
            name=op.f("fk_episodes_series_id_series"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_episodes")),
    )
    op.create_index(op.f("ix_episodes_season_id"), "episodes", ["season_id"], unique=False)
    op.create_index(
        "ix_episodes_season_order", "episodes", ["season_id", "number", "air_date"], unique=False
    )
    op.create_index(op.f("ix_episodes_series_id"), "episodes", ["series_id"], unique=False)
    op.create_index(
        "uq_episodes_library_group", "episodes", ["library_id", "group_key"], unique=True
    )


def downgrade() -> None:
    op.drop_index("uq_episodes_library_group", table_name="episodes")
    op.drop_index(op.f("ix_episodes_series_id"), table_name="episodes")
    op.drop_index("ix_episodes_season_order", table_name="episodes")
    op.drop_index(op.f("ix_episodes_season_id"), table_name="episodes")
    op.drop_table("episodes")
    op.drop_index("uq_seasons_library_group", table_name="seasons")
    op.drop_index(op.f("ix_seasons_series_id"), table_name="seasons")
    op.drop_table("seasons")
    op.drop_index("uq_series_library_group", table_name="series")
    op.drop_index("ix_series_library_sort", table_name="series")
    op.drop_table("series")
