"""Playback: stream profiles/levels/bit depth/bit rate, playback failures, playback sessions.

Revision ID: 0120
Revises: 0090
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0120"
down_revision: str | None = "0090"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STREAM_COLUMNS = (
    ("profile", sa.String(64)),
    ("level", sa.Integer()),
    ("bit_depth", sa.Integer()),
    ("bit_rate", sa.BigInteger()),
    ("pixel_format", sa.String(32)),
)


def upgrade() -> None:
    for name, type_ in _STREAM_COLUMNS:
        op.add_column("media_streams", sa.Column(name, type_))
    op.add_column("media_files", sa.Column("playback_failure", sa.Text()))
    op.add_column("media_files", sa.Column("playback_failed_at", sa.DateTime(timezone=True)))
    op.create_table(
        "playback_sessions",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("auth_session_id", sa.UUID(), nullable=True),
        sa.Column("media_file_id", sa.UUID(), nullable=False),
        sa.Column("item_kind", sa.String(length=16), nullable=True),
        sa.Column("item_id", sa.UUID(), nullable=True),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("plan", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("client_name", sa.Text(), nullable=True),
        sa.Column("position_seconds", sa.Float(), server_default="0", nullable=False),
        sa.Column("paused", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("speed", sa.Float(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "last_seen_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_reason", sa.String(length=32), nullable=True),
        sa.CheckConstraint(
            "method IN ('direct', 'remux', 'transcode')", name=op.f("ck_playback_sessions_method")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_playback_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["media_file_id"], ["media_files.id"],
            name=op.f("fk_playback_sessions_media_file_id_media_files"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_playback_sessions")),
    )  # fmt: skip
    op.create_index(
        "ix_playback_sessions_active",
        "playback_sessions",
        ["user_id", "created_at"],
        postgresql_where=sa.text("ended_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_playback_sessions_active", table_name="playback_sessions")
    op.drop_table("playback_sessions")
    op.drop_column("media_files", "playback_failed_at")
    op.drop_column("media_files", "playback_failure")
    for name, _ in reversed(_STREAM_COLUMNS):
        op.drop_column("media_streams", name)
