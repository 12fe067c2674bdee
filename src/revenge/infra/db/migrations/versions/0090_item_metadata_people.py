"""Metadata state on series, episodes, albums and audiobooks; ratings, runtimes; people.

Revision ID: 0090
Revises: 0085
"""

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0090"
down_revision: str | None = "0085"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT_ARRAY = postgresql.ARRAY(sa.Text())


def _state(locked: bool) -> list[sa.Column[Any]]:
    columns: list[sa.Column[Any]] = [
        sa.Column("metadata_status", sa.String(16)),
        sa.Column("metadata_reason", sa.Text()),
        sa.Column("metadata_fetched_at", sa.DateTime(timezone=True)),
    ]
    if locked:
        columns.append(sa.Column("locked_fields", _TEXT_ARRAY, nullable=False, server_default="{}"))
    return columns


def _scores() -> list[sa.Column[Any]]:
    return [sa.Column("community_rating", sa.Float()), sa.Column("runtime_minutes", sa.Integer())]


_COLUMNS: dict[str, Callable[[], list[sa.Column[Any]]]] = {
    "movies": _scores,
    "series": lambda: [
        sa.Column("original_title", sa.Text()),
        sa.Column("genres", _TEXT_ARRAY),
        *_scores(),
        *_state(True),
    ],
    "episodes": lambda: [*_scores(), *_state(False)],
    "albums": lambda: [sa.Column("genres", _TEXT_ARRAY), *_state(True)],
    "audiobooks": lambda: [
        sa.Column("musicbrainz_id", sa.String(36)),
        sa.Column("genres", _TEXT_ARRAY),
        *_state(False),
    ],
}


def upgrade() -> None:
    for table, columns in _COLUMNS.items():
        for column in columns():
            op.add_column(table, column)
    op.create_index("ix_movies_rating", "movies", ["community_rating", "id"])
    op.create_index("ix_series_rating", "series", ["community_rating", "id"])
    op.create_table(
        "people",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("key", sa.String(120), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("tmdb_id", sa.String(32)),
        sa.Column("tvdb_id", sa.String(32)),
        sa.Column("imdb_id", sa.String(32)),
        sa.Column("musicbrainz_id", sa.String(36)),
        sa.Column("image_url", sa.Text()),
        *(
            sa.Column(
                name, sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
            )
            for name in ("created_at", "updated_at")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
    )
    op.create_index("uq_people_key", "people", ["key"], unique=True)
    op.create_table(
        "item_people",
        sa.Column("item_kind", sa.String(16), nullable=False),
        sa.Column("item_id", sa.UUID(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.UUID(), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("character", sa.Text()),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_item_people_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_kind", "item_id", "position", name=op.f("pk_item_people")),
    )
    op.create_index("ix_item_people_person", "item_people", ["person_id", "item_kind"])


def downgrade() -> None:
    op.drop_index("ix_item_people_person", table_name="item_people")
    op.drop_table("item_people")
    op.drop_index("uq_people_key", table_name="people")
    op.drop_table("people")
    op.drop_index("ix_series_rating", table_name="series")
    op.drop_index("ix_movies_rating", table_name="movies")
    for table, columns in reversed(_COLUMNS.items()):
        for column in reversed(columns()):
            op.drop_column(table, column.name)
