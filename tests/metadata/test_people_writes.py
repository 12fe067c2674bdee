"""Credits: people shared by items are written only when what is known of them changes."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import text

from revenge.catalog.people.repository import Credit, replace_credits
from revenge.runtime import Runtime


def cast(*names: str, **ids: str) -> list[Credit]:
    return [
        Credit(f"tmdb:{n}", name, "actor", None, {"tmdb": str(n), **ids}, None)
        for n, name in enumerate(names, start=1)
    ]


async def people(runtime: Runtime) -> dict[str, tuple[str, str | None, object]]:
    async with runtime.db.transaction() as session:
        found = await session.execute(text("SELECT key, name, imdb_id, updated_at FROM people"))
        return {r.key: (r.name, r.imdb_id, r.updated_at) for r in found}


async def test_items_sharing_people_are_saved_side_by_side(clean_runtime: Runtime) -> None:
    async with clean_runtime.db.transaction() as session:
        await replace_credits(session, "movie", uuid.uuid4(), cast("Ann", "Bob", "Cy"))
    before = await people(clean_runtime)

    # Two saves of the same people (in other orders) inside transactions left open: the
    # second does not wait for the first to end, as it did when every person was upserted
    # (and locked) on every save.
    first_saved, release = asyncio.Event(), asyncio.Event()

    async def first() -> None:
        async with clean_runtime.db.transaction() as session:
            await replace_credits(session, "movie", uuid.uuid4(), cast("Ann", "Bob", "Cy"))
            first_saved.set()
            await release.wait()

    holder = asyncio.create_task(first())
    await first_saved.wait()
    async with clean_runtime.db.transaction() as session:
        credits = list(reversed(cast("Ann", "Bob", "Cy")))
        await asyncio.wait_for(replace_credits(session, "movie", uuid.uuid4(), credits), 5)
    release.set()
    await holder
    assert await people(clean_runtime) == before  # nothing rewritten

    # What is new about a person is still written: a new name, an id learnt.
    async with clean_runtime.db.transaction() as session:
        changed = cast("Ann", "Robert", "Cy")
        changed[2] = Credit("tmdb:3", "Cy", "actor", None, {"tmdb": "3", "imdb": "nm3"}, None)
        await replace_credits(session, "movie", uuid.uuid4(), changed)
    after = await people(clean_runtime)
    assert after["tmdb:1"] == before["tmdb:1"]
    assert after["tmdb:2"][0] == "Robert" and after["tmdb:2"][2] != before["tmdb:2"][2]
    assert after["tmdb:3"][:2] == ("Cy", "nm3")
    # An id a source does not give is kept, not erased.
    async with clean_runtime.db.transaction() as session:
        await replace_credits(session, "movie", uuid.uuid4(), cast("Ann", "Robert", "Cy"))
    assert (await people(clean_runtime))["tmdb:3"][:2] == ("Cy", "nm3")
