"""Alembic environment: runs migrations on a synchronous psycopg connection.

Every node migrates at start, so several nodes started together against one database would
race to create the same tables. Each run first takes a transaction-scoped advisory lock,
before Alembic reads the current revision: the first node migrates, the others wait for its
commit and then find the schema up to date.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine, pool, text

from revenge.infra.db.engine import sqlalchemy_url

config = context.config
# Migrations are written by hand; comparing with the models (`revenge.features.schema()`) is
# for whoever passes it here. infra imports no feature, so it is not imported by default.
target_metadata = config.attributes.get("target_metadata")

MIGRATION_LOCK = (0x5C4, 0x316)


def _migrate(conn: Connection) -> None:
    context.configure(connection=conn, target_metadata=target_metadata)
    with context.begin_transaction():
        ns, key = MIGRATION_LOCK
        conn.execute(text("SELECT pg_advisory_xact_lock(:ns, :key)"), {"ns": ns, "key": key})
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    url = sqlalchemy_url(config.get_main_option("sqlalchemy.url") or "")
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        _migrate(conn)
    engine.dispose()


run_migrations_online()
