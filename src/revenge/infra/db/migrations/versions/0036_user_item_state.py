"""Per-user item state.

Revision ID: 0036
Revises: 0035
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0036"
down_revision: str | None = "0035"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "user_item_state",
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("item_kind", sa.String(length=16), nullable=False),
        sa.Column("item_id", sa.UUID(), nullable=False),
        sa.Column("library_id", sa.UUID(), nullable=False),
        sa.Column("position_seconds", sa.Float(), server_default="0", nullable=False),
        sa.Column("played", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("favourite", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("play_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_played_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["library_id"],
            ["libraries.id"],
            name=op.f("fk_user_item_state_library_id_libraries"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_user_item_state_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "item_kind", "item_id", name=op.f("pk_user_item_state")),
    )
    op.create_index("ix_user_item_state_item", "user_item_state", ["item_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_user_item_state_item", table_name="user_item_state")
    op.drop_table("user_item_state")
