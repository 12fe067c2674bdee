"""Schema migrations (Alembic), callable from the CLI and at server start."""

from __future__ import annotations

import io
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, pool

from revenge.infra.db.engine import sqlalchemy_url

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    cfg = Config(stdout=io.StringIO())
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, target: str = "head") -> None:
    command.upgrade(alembic_config(url), target)


def downgrade(url: str, target: str) -> None:
    """Downgrade to `target`: a revision, `base`, or `-N` for N steps."""
    command.downgrade(alembic_config(url), target)


def current_revision(url: str) -> str | None:
    engine = create_engine(sqlalchemy_url(url), poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def status(url: str) -> list[tuple[str, str, bool]]:
    """Every revision in order as (revision, message, applied)."""
    script = ScriptDirectory.from_config(alembic_config(url))
    current = current_revision(url)
    revisions = list(reversed(list(script.walk_revisions())))
    applied_ids: set[str] = set()
    if current is not None:
        applied_ids = {rev.revision for rev in script.iterate_revisions(current, "base")}
    return [(r.revision, r.doc or "", r.revision in applied_ids) for r in revisions]


def head_revision() -> str | None:
    """The newest revision this version of the code knows."""
    return ScriptDirectory.from_config(alembic_config("postgresql://")).get_current_head()


def revisions_before(revision: str | None) -> set[str]:
    """Every revision older than `revision` (its ancestors)."""
    if revision is None:
        return set()
    script = ScriptDirectory.from_config(alembic_config("postgresql://"))
    return {r.revision for r in script.iterate_revisions(revision, "base")} - {revision}
