"""Job queue (pgqueuer) tables, functions and triggers.

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

from alembic import op
from pgqueuer.adapters.persistence.schema_ddl import render_install, render_uninstall
from pgqueuer.domain.settings import DBSettings

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # pgqueuer renders its own DDL; running it here keeps one `revenge migrate` for everything.
    op.execute(render_install(DBSettings()))


def downgrade() -> None:
    op.execute(render_uninstall(DBSettings()))
