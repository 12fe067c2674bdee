"""Two-factor sign-in (TOTP secret, recovery codes, how a session signed in) and the
session revocation epoch.

Revision ID: 0100
Revises: 0090
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0100"
down_revision: str | None = "0090"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("users", sa.Column("totp_secret_encrypted", sa.Text()))
    op.add_column("users", sa.Column("totp_enabled_at", sa.DateTime(timezone=True)))
    op.add_column("users", sa.Column("totp_last_step", sa.BigInteger()))
    op.add_column(
        "sessions",
        sa.Column("auth_method", sa.String(16), nullable=False, server_default="password"),
    )
    op.create_table(
        "recovery_codes",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column(
            "user_id",
            postgresql.UUID(as_uuid=True),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("code_hash", sa.LargeBinary(32), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True)),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
    )
    op.create_index("ix_recovery_codes_user", "recovery_codes", ["user_id"])
    op.create_table(
        "session_epoch",
        sa.Column("id", sa.SmallInteger(), primary_key=True),
        sa.Column("value", sa.BigInteger(), nullable=False, server_default="0"),
        sa.CheckConstraint("id = 1", name="ck_session_epoch_single_row"),
    )
    op.execute("INSERT INTO session_epoch (id, value) VALUES (1, 0)")


def downgrade() -> None:
    op.drop_table("session_epoch")
    op.drop_index("ix_recovery_codes_user", table_name="recovery_codes")
    op.drop_table("recovery_codes")
    op.drop_column("sessions", "auth_method")
    op.drop_column("users", "totp_last_step")
    op.drop_column("users", "totp_enabled_at")
    op.drop_column("users", "totp_secret_encrypted")
