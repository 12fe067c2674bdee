"""Podcasts and their episodes.

Revision ID: 0035
Revises: 0034
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0035"
down_revision: str | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "podcasts",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("library_id", sa.UUID(), nullable=False),
        sa.Column("group_key", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("sort_title", sa.Text(), nullable=False),
        sa.Column("author", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
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
            name=op.f("fk_podcasts_library_id_libraries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_podcasts")),
    )
    op.create_index(
        "ix_podcasts_library_sort", "podcasts", ["library_id", "sort_title"], unique=False
    )
    op.create_index(
        "uq_podcasts_library_group", "podcasts", ["library_id", "group_key"], unique=True
    )
    op.create_table(
        "podcast_episodes",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("library_id", sa.UUID(), nullable=False),
        sa.Column("group_key", sa.Text(), nullable=False),
        sa.Column("podcast_id", sa.UUID(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("episode_number", sa.Integer(), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("duration_seconds", sa.Float(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
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
            name=op.f("fk_podcast_episodes_library_id_libraries"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["podcast_id"],
            ["podcasts.id"],
            name=op.f("fk_podcast_episodes_podcast_id_podcasts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_podcast_episodes")),
    )
    op.create_index(
        op.f("ix_podcast_episodes_podcast_id"), "podcast_episodes", ["podcast_id"], unique=False
    )
    op.create_index(
        "ix_podcast_episodes_podcast_published",
        "podcast_episodes",
        ["podcast_id", "published_on"],
        unique=False,
    )
    op.create_index(
        "uq_podcast_episodes_library_group",
        "podcast_episodes",
        ["library_id", "group_key"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_podcast_episodes_library_group", table_name="podcast_episodes")
    op.drop_index("ix_podcast_episodes_podcast_published", table_name="podcast_episodes")
    op.drop_index(op.f("ix_podcast_episodes_podcast_id"), table_name="podcast_episodes")
    op.drop_table("podcast_episodes")
    op.drop_index("uq_podcasts_library_group", table_name="podcasts")
    op.drop_index("ix_podcasts_library_sort", table_name="podcasts")
    op.drop_table("podcasts")
