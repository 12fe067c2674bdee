"""The search index table (plain PostgreSQL full-text search, no extensions).

Revision ID: 0052
Revises: 0051
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0052"
down_revision: str | None = "0051"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "search_documents",
        sa.Column("item_type", sa.String(length=16), nullable=False),
        sa.Column("item_id", sa.UUID(), nullable=False),
        sa.Column("library_id", sa.UUID(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("original_title", sa.Text(), nullable=True),
        sa.Column("sort_title", sa.Text(), nullable=True),
        sa.Column("names", sa.Text(), nullable=True),
        sa.Column("people", sa.Text(), nullable=True),
        sa.Column(
            "genres",
            postgresql.ARRAY(sa.Text()),
            server_default=sa.text("'{}'::text[]"),
            nullable=False,
        ),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("overview", sa.Text(), nullable=True),
        sa.Column("folded_title", sa.Text(), nullable=False),
        sa.Column("folded_names", sa.Text(), server_default="", nullable=False),
        sa.Column("document", postgresql.TSVECTOR(), nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["library_id"],
            ["libraries.id"],
            name=op.f("fk_search_documents_library_id_libraries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_type", "item_id", name=op.f("pk_search_documents")),
    )
    op.create_index(
        "ix_search_documents_document", "search_documents", ["document"], postgresql_using="gin"
    )
    op.create_index(
        "ix_search_documents_library_type", "search_documents", ["library_id", "item_type"]
    )
    op.create_index(
        "ix_search_documents_folded_title", "search_documents", ["folded_title"],
        postgresql_ops={"folded_title": "text_pattern_ops"},
    )  # fmt: skip


def downgrade() -> None:
    op.drop_table("search_documents")
