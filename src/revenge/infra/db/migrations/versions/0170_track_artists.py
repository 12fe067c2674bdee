"""Every artist of a track ("A feat. B", multi-value artist tags), in credit order.

Revision ID: 0170
Revises: 0160
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0170"
down_revision: str | None = "0160"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "track_artists",
        sa.Column(
            "track_id",
            postgresql.UUID(as_uuid=True),
            sa.ForeignKey("tracks.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "artist_id",
            postgresql.UUID(as_uuid=True),
            sa.ForeignKey("artists.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
    )
    op.create_index("ix_track_artists_artist", "track_artists", ["artist_id"])
    # Existing tracks keep their one artist until their next scan splits the credit.
    op.execute(
        "INSERT INTO track_artists (track_id, artist_id, position)"
        " SELECT id, artist_id, 0 FROM tracks WHERE artist_id IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_index("ix_track_artists_artist", table_name="track_artists")
    op.drop_table("track_artists")
