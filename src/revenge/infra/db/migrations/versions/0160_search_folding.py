"""Search documents re-folded: apostrophes join their word, punctuation-joined words are
also indexed joined, and the title key drops its leading article.

The stored texts are re-read and re-folded in place (no catalogue query needed), so search
works with the new query understanding right after the upgrade. Downgrade leaves the rows
as they are: the older code reads them (its `revenge search rebuild` re-folds them its way).

Revision ID: 0160
Revises: 0150
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0160"
down_revision: str | None = "0150"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 2000
_UPDATE = sa.text(
    """
    UPDATE search_documents SET folded_title = :folded_title, folded_names = :folded_names,
        title_document = setweight(to_tsvector('simple', :wa), 'A')
            || setweight(to_tsvector('simple', :wb), 'B'),
        document = setweight(to_tsvector('simple', :wa), 'A')
            || setweight(to_tsvector('simple', :wb), 'B')
            || setweight(to_tsvector('simple', :wc), 'C')
            || setweight(to_tsvector('simple', :wd), 'D')
    WHERE item_type = :item_type AND item_id = :item_id
    """
)


def upgrade() -> None:
    from revenge.search.documents import document_of

    conn = op.get_bind()
    rows = conn.execute(
        sa.text(
            "SELECT item_type, item_id, library_id, title, original_title, sort_title, names,"
            " people, year, overview, genres FROM search_documents"
        )
    ).all()
    for start in range(0, len(rows), _BATCH):
        batch = rows[start : start + _BATCH]
        conn.execute(_UPDATE, [document_of(row[0], tuple(row[1:])).params() for row in batch])


def downgrade() -> None:
    pass
