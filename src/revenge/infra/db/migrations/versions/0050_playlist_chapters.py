"""Audio playlists hold whole audiobooks and single chapters (audiobook + chapter number).

Revision ID: 0050
Revises: 0043
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0050"
down_revision: str | None = "0043"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NAME = "ck_audio_playlist_items_item_type"


def upgrade() -> None:
    op.add_column("audio_playlist_items", sa.Column("chapter", sa.Integer(), nullable=True))
    op.drop_constraint(op.f(_NAME), "audio_playlist_items", type_="check")
    op.create_check_constraint(
        op.f(_NAME),
        "audio_playlist_items",
        "item_type IN ('track', 'audiobook', 'audiobook_chapter', 'podcast_episode')",
    )


def downgrade() -> None:
    op.execute("DELETE FROM audio_playlist_items WHERE item_type = 'audiobook'")
    op.drop_constraint(op.f(_NAME), "audio_playlist_items", type_="check")
    op.create_check_constraint(
        op.f(_NAME),
        "audio_playlist_items",
        "item_type IN ('track', 'audiobook_chapter', 'podcast_episode')",
    )
    op.drop_column("audio_playlist_items", "chapter")
