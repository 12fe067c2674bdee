"""Music artists, albums and tracks.

Revision ID: 0033
Revises: 0032
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0033"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "artists",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("library_id", sa.UUID(), nullable=False),
        sa.Column("group_key", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("sort_name", sa.Text(), nullable=False),
        sa.Column("musicbrainz_id", sa.String(length=36), nullable=True),
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
            name=op.f("fk_artists_library_id_libraries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_artists")),
    )
    op.create_index("ix_artists_library_sort", "artists", ["library_id", "sort_name"], unique=False)
    op.create_index("uq_artists_library_group", "artists", ["library_id", "group_key"], unique=True)
    op.create_table(
        "albums",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("library_id", sa.UUID(), nullable=False),
        sa.Column("group_key", sa.Text(), nullable=False),
        sa.Column("album_artist_id", sa.UUID(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("sort_title", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("is_compilation", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("musicbrainz_id", sa.String(length=36), nullable=True),
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
            ["album_artist_id"],
            ["artists.id"],
            name=op.f("fk_albums_album_artist_id_artists"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["library_id"],
            ["libraries.id"],
            name=op.f("fk_albums_library_id_libraries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_albums")),
    )
    op.create_index(op.f("ix_albums_album_artist_id"), "albums", ["album_artist_id"], unique=False)
    op.create_index("ix_albums_library_sort", "albums", ["library_id", "sort_title"], unique=False)
    op.create_index("uq_albums_library_group", "albums", ["library_id", "group_key"], unique=True)
    op.create_table(
        "tracks",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("library_id", sa.UUID(), nullable=False),
        sa.Column("group_key", sa.Text(), nullable=False),
        sa.Column("album_id", sa.UUID(), nullable=False),
        sa.Column("artist_id", sa.UUID(), nullable=True),
        sa.Column("artist_name", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("disc_number", sa.Integer(), server_default="1", nullable=False),
        sa.Column("track_number", sa.Integer(), nullable=True),
        sa.Column("duration_seconds", sa.Float(), nullable=True),
        sa.Column("musicbrainz_id", sa.String(length=36), nullable=True),
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
            ["album_id"], ["albums.id"], name=op.f("fk_tracks_album_id_albums"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["artist_id"],
            ["artists.id"],
            name=op.f("fk_tracks_artist_id_artists"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["library_id"],
            ["libraries.id"],
            name=op.f("fk_tracks_library_id_libraries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tracks")),
    )
    op.create_index(op.f("ix_tracks_album_id"), "tracks", ["album_id"], unique=False)
    op.create_index(
        "ix_tracks_album_order", "tracks", ["album_id", "disc_number", "track_number"], unique=False
    )
    op.create_index(op.f("ix_tracks_artist_id"), "tracks", ["artist_id"], unique=False)
    op.create_index("uq_tracks_library_group", "tracks", ["library_id", "group_key"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_tracks_library_group", table_name="tracks")
    op.drop_index(op.f("ix_tracks_artist_id"), table_name="tracks")
    op.drop_index("ix_tracks_album_order", table_name="tracks")
    op.drop_index(op.f("ix_tracks_album_id"), table_name="tracks")
    op.drop_table("tracks")
    op.drop_index("uq_albums_library_group", table_name="albums")
    op.drop_index("ix_albums_library_sort", table_name="albums")
    op.drop_index(op.f("ix_albums_album_artist_id"), table_name="albums")
    op.drop_table("albums")
    op.drop_index("uq_artists_library_group", table_name="artists")
    op.drop_index("ix_artists_library_sort", table_name="artists")
    op.drop_table("artists")
