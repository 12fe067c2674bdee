"""The engine's sessions: times in UTC whatever the server's zone; on-demand reading; the
reading pool's connections in autocommit, and never handed out busy."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import event, text

from revenge.config import DatabaseSettings
from revenge.infra.db import raw
from revenge.infra.db.engine import Database


async def test_times_are_read_in_utc_and_the_urls_own_options_are_kept(
    database_url: str,
) -> None:
    """A server whose zone is named (here set through the URL's options, as an operator may)
    still gives times as UTC instants; the URL's other options still apply."""
    joined = "&" if "?" in database_url else "?"
    url = f"{database_url}{joined}options=-c%20TimeZone%3DEurope/Berlin%20-c%20work_mem%3D7MB"
    db = Database(url)
    try:
        async with db.reading() as session:
            zone = (await session.execute(text("SHOW TimeZone"))).scalar_one()
            work_mem = (await session.execute(text("SHOW work_mem"))).scalar_one()
            noon = (
                await session.execute(text("SELECT '2026-06-01 12:00:00+02'::timestamptz"))
            ).scalar_one()
        assert zone == "UTC"
        assert work_mem == "7MB"
        assert noon == datetime(2026, 6, 1, 10, tzinfo=UTC)
        assert noon.utcoffset() is not None and noon.utcoffset().total_seconds() == 0
    finally:
        await db.dispose()


async def test_an_on_demand_reading_session_connects_only_for_a_statement(
    database_url: str,
) -> None:
    db = Database(database_url)
    taken: list[object] = []

    def checkout(*args: object) -> None:
        taken.append(args)

    event.listen(db.readers.sync_engine.pool, "checkout", checkout)
    try:
        async with db.reading_on_demand():
            pass
        assert taken == []
        async with db.reading_on_demand() as session:
            assert (await session.execute(text("SELECT 1"))).scalar_one() == 1
        assert len(taken) == 1
        assert db.readers.sync_engine.pool.checkedout() == 0  # handed back
    finally:
        await db.dispose()


async def test_reading_connections_stay_in_autocommit_and_transactions_do_not_share_them(
    database_url: str,
) -> None:
    """A reading session's statements stand alone (nothing to commit), and its connection is
    handed back and out again in autocommit without being switched; a transaction's
    connection comes from its own pool and holds a real transaction."""
    db = Database(database_url, DatabaseSettings(pool_size=4, read_pool_size=3))
    pools: list[Any] = [db.engine.sync_engine.pool, db.readers.sync_engine.pool]
    assert [pool.size() for pool in pools] == [4, 3]
    try:
        async with db.reading() as session:
            first = await raw.driver(session)
            assert first.autocommit
            await session.execute(text("SELECT 1"))
            assert first.info.transaction_status == TransactionStatus.IDLE
        async with db.reading() as session:
            assert await raw.driver(session) is first  # the same warm connection, unswitched
            assert first.autocommit
        async with db.transaction() as session:
            writer = await raw.driver(session)
            assert writer is not first
            assert not writer.autocommit
            await session.execute(text("SELECT 1"))
            assert writer.info.transaction_status == TransactionStatus.INTRANS
    finally:
        await db.dispose()


async def test_a_reading_connection_is_handed_out_again_only_when_idle(
    database_url: str,
) -> None:
    """Reading connections are not rolled back on their return (there is nothing to roll
    back): one handed back inside a transaction someone opened is closed instead, and a
    request cancelled mid-statement leaves the next one a connection that answers."""
    db = Database(database_url)
    try:
        async with db.reading() as session:
            opened = await raw.driver(session)
            await opened.execute("BEGIN")
            await opened.execute("CREATE TEMP TABLE left_behind (n int)")
        assert opened.closed
        async with db.reading() as session:
            pg = await raw.driver(session)
            assert pg is not opened
            assert pg.info.transaction_status == TransactionStatus.IDLE

        async def slow() -> None:
            async with db.reading() as session:
                taken.append(await raw.driver(session))
                await taken[0].execute("SELECT pg_sleep(30)")

        taken: list[Any] = []
        task = asyncio.create_task(slow())
        while not taken:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.2)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        async with asyncio.timeout(5), db.reading() as session:
            assert (await session.execute(text("SELECT 2"))).scalar_one() == 2
            assert (await raw.driver(session)).info.transaction_status == TransactionStatus.IDLE
    finally:
        await db.dispose()
