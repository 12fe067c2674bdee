"""App passwords for Subsonic clients, and a user's star rating of an item.

Revision ID: 0180
Revises: 0170
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0180"
down_revision: str | None = "0170"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "app_passwords",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("secret_encrypted", sa.Text(), nullable=False),
        sa.Column("prefix", sa.String(8), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("last_used_at", sa.DateTime(timezone=True)),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_app_passwords_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_passwords")),
    )
    op.create_index(op.f("ix_app_passwords_user_id"), "app_passwords", ["user_id"])
    op.add_column("user_item_state", sa.Column("rating", sa.SmallInteger()))


def downgrade() -> None:
    op.drop_column("user_item_state", "rating")
    op.drop_index(op.f("ix_app_passwords_user_id"), table_name="app_passwords")
    op.drop_table("app_passwords")
