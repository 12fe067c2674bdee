"""Schema migrations (Alembic), callable from the CLI and at server start.

Alembic is imported only when a migration command runs: a server whose schema is already at
`HEAD` (every start but the first after an upgrade) reads one row and never loads it, which
keeps about 10 MiB of modules out of every API and worker process.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg
from sqlalchemy import create_engine, pool

from revenge.infra.db.engine import libpq_url, sqlalchemy_url

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# The newest revision in migrations/versions; a test holds it equal to Alembic's head.
HEAD = "0260"


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    cfg = Config(stdout=io.StringIO())
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, target: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(url), target)


def upgrade_if_behind(url: str) -> None:
    """Upgrade to the head unless the database already stands there."""
    if _stored_revision(url) != HEAD:
        upgrade(url)


def _stored_revision(url: str) -> str | None:
    """The revision recorded in the database, or None before the first migration."""
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        exists = conn.execute("SELECT to_regclass('alembic_version') IS NOT NULL").fetchone()
        if not (exists and exists[0]):
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return None if row is None else str(row[0])


def downgrade(url: str, target: str) -> None:
    """Downgrade to `target`: a revision, `base`, or `-N` for N steps."""
    from alembic import command

    command.downgrade(alembic_config(url), target)


def current_revision(url: str) -> str | None:
    from alembic.runtime.migration import MigrationContext

    engine = create_engine(sqlalchemy_url(url), poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def status(url: str) -> list[tuple[str, str, bool]]:
    """Every revision in order as (revision, message, applied)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(url))
    current = current_revision(url)
    revisions = list(reversed(list(script.walk_revisions())))
    applied_ids: set[str] = set()
    if current is not None:
        applied_ids = {rev.revision for rev in script.iterate_revisions(current, "base")}
    return [(r.revision, r.doc or "", r.revision in applied_ids) for r in revisions]


def head_revision() -> str | None:
    """The newest revision this version of the code knows."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config("postgresql://")).get_current_head()


def revisions_before(revision: str | None) -> set[str]:
    """Every revision older than `revision` (its ancestors)."""
    if revision is None:
        return set()
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config("postgresql://"))
    return {r.revision for r in script.iterate_revisions(revision, "base")} - {revision}
