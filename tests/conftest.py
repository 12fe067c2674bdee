"""Fixtures: real PostgreSQL and Redis, a migrated database per run, a clean one per test."""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
import redis.asyncio as aioredis
from fastapi import FastAPI
from psycopg import sql

from revenge.app import create_app
from revenge.catalog.totals import CatalogTotals
from revenge.config import Settings
from revenge.infra.db import migrate
from revenge.runtime import Runtime
from revenge.testing.services import fresh_database, postgres_server, redis_server
from revenge.testing.settings import make_settings

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="session")
def database_url(pg_server_url: str) -> Iterator[str]:
    """One migrated database for the whole run."""
    with fresh_database(pg_server_url) as url:
        migrate.upgrade(url)
        yield url


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    with redis_server() as url:
        yield url


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="session")
def settings(data_dir: Path, database_url: str, redis_url: str) -> Settings:
    return make_settings(data_dir, database_url, redis_url)


@pytest.fixture(scope="session")
async def runtime(settings: Settings) -> AsyncIterator[Runtime]:
    rt = await Runtime.create(settings, apply_migrations=False)
    yield rt
    await rt.close()


# The tables holding rows, in one round trip (`alembic_version` is the migration marker).
_NONEMPTY = """
SELECT string_agg(format(
    'SELECT %L WHERE EXISTS (SELECT 1 FROM %I)', tablename, tablename), ' UNION ALL ')
FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'
"""
# The sequences of the tables' own columns (serial and identity) that were used.
_USED_SEQUENCES = """
SELECT format('%I', s.sequencename), s.start_value
FROM pg_sequences s
JOIN pg_class c ON c.relname = s.sequencename AND c.relkind = 'S'
JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = s.schemaname
JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
    AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
WHERE s.schemaname = 'public' AND s.last_value IS NOT NULL
"""


def truncate_all(database_url: str) -> None:
    """Empty every table except the migration marker and restart the tables' sequences, as
    `TRUNCATE ... RESTART IDENTITY CASCADE` of them all would.

    Only the tables holding rows are emptied, by DELETE with foreign keys and triggers off
    (a replica session): TRUNCATE makes and syncs new files for each of the ~70 tables, which
    took over a second per test on a busy machine, against milliseconds for the few rows a
    test leaves.
    """
    with psycopg.connect(database_url) as conn:
        (union,) = conn.execute(_NONEMPTY).fetchone() or (None,)
        tables = [r[0] for r in conn.execute(union)] if union else []
        if tables:
            conn.execute("SET LOCAL session_replication_role = replica")
            for table in tables:
                conn.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(table)))
        for name, start in conn.execute(_USED_SEQUENCES).fetchall():
            conn.execute("SELECT setval(%s::regclass, %s, false)", (name, start))


async def clear_login_limits(runtime: Runtime) -> None:
    """Failed-login counters live in Redis across tests; every test starts from zero."""
    url = runtime.settings.redis_url
    if not url:
        return
    redis: aioredis.Redis = aioredis.from_url(url)
    try:
        prefix = runtime.settings.cache.redis_prefix + "loginfail:"
        keys = [k async for k in redis.scan_iter(match=prefix + "*")]
        if keys:
            await redis.delete(*keys)
    finally:
        await redis.aclose()


@pytest.fixture
async def clean_runtime(runtime: Runtime, database_url: str) -> Runtime:
    """The shared runtime over an emptied database and cache."""
    await runtime.activity.flush()
    truncate_all(database_url)
    runtime.local_cache.clear()
    runtime.credentials.forget()
    await clear_login_limits(runtime)
    await CatalogTotals(runtime.cache).bump()
    runtime.server_settings.invalidate()
    return runtime


@pytest.fixture
async def app(clean_runtime: Runtime, settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings, run_worker=False, runtime=clean_runtime)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c
