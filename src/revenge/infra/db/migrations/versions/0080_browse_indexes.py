"""Indexes for keyset browsing and the home rows: added, year, genres, progress, next up.

Revision ID: 0080
Revises: 0070
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0080"
down_revision: str | None = "0070"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BTREE = (
    ("ix_movies_added", "movies", ["created_at", "id"]),
    ("ix_movies_year", "movies", ["year", "id"]),
    ("ix_series_added", "series", ["created_at", "id"]),
    ("ix_series_year", "series", ["year", "id"]),
    ("ix_episodes_series_order", "episodes", ["series_id", "season_number", "number"]),
    ("ix_user_item_state_recent", "user_item_state", ["user_id", "updated_at"]),
    ("ix_albums_added", "albums", ["created_at", "id"]),
    ("ix_audiobooks_added", "audiobooks", ["created_at", "id"]),
    ("ix_podcasts_added", "podcasts", ["created_at", "id"]),
)


def upgrade() -> None:
    for name, table, columns in _BTREE:
        op.create_index(name, table, columns)
    op.create_index("ix_movies_genres", "movies", ["genres"], postgresql_using="gin")


def downgrade() -> None:
    op.drop_index("ix_movies_genres", table_name="movies")
    for name, table, _ in reversed(_BTREE):
        op.drop_index(name, table_name=table)
