"""Read speed: a title-only tsvector for search ranking, title-order browse indexes.

`title_document` holds the title and name words (weights A and B) so ranking tests them
without building a filtered tsvector per matching row; `(length(folded_title), folded_title)`
gives a broad query's first page (shortest titles first) without reading every match. The
`(sort_title, id)` indexes let a title-ordered page be read in index order instead of
sorting the whole table.

Revision ID: 0085
Revises: 0080
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0085"
down_revision: str | None = "0080"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BTREE = (
    ("ix_movies_title_order", "movies", ["sort_title", "id"]),
    ("ix_series_title_order", "series", ["sort_title", "id"]),
    ("ix_albums_title_order", "albums", ["sort_title", "id"]),
    ("ix_artists_name_order", "artists", ["sort_name", "id"]),
    ("ix_audiobooks_title_order", "audiobooks", ["sort_title", "id"]),
    ("ix_podcasts_title_order", "podcasts", ["sort_title", "id"]),
)


def upgrade() -> None:
    op.add_column(
        "search_documents",
        sa.Column(
            "title_document",
            postgresql.TSVECTOR(),
            server_default=sa.text("''::tsvector"),
            nullable=False,
        ),
    )
    op.execute("UPDATE search_documents SET title_document = ts_filter(document, '{a,b}')")
    op.create_index(
        "ix_search_documents_title_document",
        "search_documents",
        ["title_document"],
        postgresql_using="gin",
    )
    for name, table, columns in _BTREE:
        op.create_index(name, table, columns)
    op.create_index(
        "ix_search_documents_title_length",
        "search_documents",
        [sa.text("length(folded_title)"), "folded_title"],
    )
    # Byte order: serves both prefix matching and alphabetical order of folded titles.
    op.drop_index("ix_search_documents_folded_title", table_name="search_documents")
    op.create_index(
        "ix_search_documents_folded_title",
        "search_documents",
        [sa.text('(folded_title COLLATE "C")')],
    )


def downgrade() -> None:
    op.drop_index("ix_search_documents_folded_title", table_name="search_documents")
    op.create_index(
        "ix_search_documents_folded_title",
        "search_documents",
        ["folded_title"],
        postgresql_ops={"folded_title": "text_pattern_ops"},
    )
    op.drop_index("ix_search_documents_title_length", table_name="search_documents")
    for name, table, _ in reversed(_BTREE):
        op.drop_index(name, table_name=table)
    op.drop_index("ix_search_documents_title_document", table_name="search_documents")
    op.drop_column("search_documents", "title_document")
