"""Every migration applies, reverts to base and applies again on a fresh database."""

from __future__ import annotations

import psycopg

from revenge.features import schema
from revenge.infra.db import migrate
from revenge.testing.services import fresh_database


def _tables(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return {r[0] for r in rows}


def test_upgrade_downgrade_upgrade(pg_server_url: str) -> None:
    with fresh_database(pg_server_url, "revenge_migr") as url:
        migrate.upgrade(url)
        tables = _tables(url)
        assert set(schema().tables) <= tables
        assert "pgqueuer" in tables
        migrate.downgrade(url, "base")
        assert _tables(url) <= {"alembic_version"}
        assert migrate.current_revision(url) is None
        migrate.upgrade(url)
        assert _tables(url) == tables
        statuses = migrate.status(url)
        assert statuses and all(applied for _, _, applied in statuses)


def test_head_constant_names_the_newest_migration() -> None:
    # A server skips Alembic when the database stands at migrate.HEAD: a new migration must
    # move the constant, or servers would start on an old schema.
    assert migrate.head_revision() == migrate.HEAD


def test_start_up_upgrades_a_database_behind_and_leaves_a_current_one(pg_server_url: str) -> None:
    with fresh_database(pg_server_url, "revenge_migr") as url:
        migrate.upgrade_if_behind(url)  # empty database: every migration runs
        assert migrate.current_revision(url) == migrate.HEAD
        migrate.downgrade(url, "-1")
        migrate.upgrade_if_behind(url)
        assert migrate.current_revision(url) == migrate.HEAD
        migrate.upgrade_if_behind(url)
        assert migrate.current_revision(url) == migrate.HEAD


def test_step_down_one_at_a_time(pg_server_url: str) -> None:
    with fresh_database(pg_server_url, "revenge_migr") as url:
        migrate.upgrade(url)
        revisions = [rev for rev, _, _ in migrate.status(url)]
        for expected in reversed(revisions[:-1]):
            migrate.downgrade(url, "-1")
            assert migrate.current_revision(url) == expected
        migrate.downgrade(url, "-1")
        assert migrate.current_revision(url) is None


# Alembic reflects an index on an expression or a collation without it, so it cannot
# compare these; test_expression_indexes checks their definitions instead.
EXPRESSION_INDEXES = {
    "ix_search_documents_title_length": "(length(folded_title), folded_title)",
    "ix_search_documents_folded_title": '(folded_title COLLATE "C")',
    "ix_search_documents_type_title_length": "(item_type, length(folded_title), folded_title)",
    "ix_search_documents_type_folded_title": '(item_type, folded_title COLLATE "C")',
    "ix_movies_year_desc": "(year DESC NULLS LAST, id DESC)",
    "ix_movies_rating_desc": "(community_rating DESC NULLS LAST, id DESC)",
    "ix_series_year_desc": "(year DESC NULLS LAST, id DESC)",
    "ix_series_rating_desc": "(community_rating DESC NULLS LAST, id DESC)",
}


def test_expression_indexes(database_url: str) -> None:
    with psycopg.connect(database_url) as conn:
        found = dict(
            conn.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s)",
                (list(EXPRESSION_INDEXES),),
            ).fetchall()
        )
    for name, expression in EXPRESSION_INDEXES.items():
        assert found[name].endswith(expression), found.get(name)


def test_models_match_migrations(database_url: str) -> None:
    """Autogenerate finds nothing: the migrations describe exactly the models."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import create_engine

    from revenge.infra.db.engine import sqlalchemy_url

    engine = create_engine(sqlalchemy_url(database_url))
    with engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn,
            opts={
                "include_name": lambda name, type_, parent: not (name or "").startswith("pgqueuer"),
                "include_object": lambda obj, name, *_: name not in EXPRESSION_INDEXES,
            },
        )
        diff = compare_metadata(ctx, schema())
    engine.dispose()
    assert diff == []
