"""The engine's sessions: times in UTC whatever the server's zone; on-demand reading."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import event, text

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

    event.listen(db.engine.sync_engine.pool, "checkout", checkout)
    try:
        async with db.reading_on_demand():
            pass
        assert taken == []
        async with db.reading_on_demand() as session:
            assert (await session.execute(text("SELECT 1"))).scalar_one() == 1
        assert len(taken) == 1
        assert db.engine.sync_engine.pool.checkedout() == 0  # handed back
    finally:
        await db.dispose()
