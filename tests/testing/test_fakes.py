"""The in-memory fakes of `revenge.testing` keep the rules of what they stand in for.

No database, Redis or network: these run in milliseconds, as the fast tier should.
"""

from __future__ import annotations

import uuid

import pytest

from revenge.libraries.tasks import ScanLibrary, scan_library
from revenge.metadata.errors import NoProviderKey
from revenge.metadata.protocols import KeySource
from revenge.search.index import SearchHit, SearchIndex, SearchQuery
from revenge.testing import MemoryJobQueue, MemorySearchIndex, StaticKeys

LIBRARY = uuid.uuid4()


def hit(title: str, item_type: str = "movie", year: int = 1995) -> SearchHit:
    return SearchHit(item_type, uuid.uuid4(), LIBRARY, title, None, year, ["Drama"], 1.0)


async def test_job_queue_dedupes_and_parses_typed_payloads() -> None:
    queue = MemoryJobQueue(known={"libraries.scan"})
    library = uuid.uuid4()
    await queue.add(scan_library, ScanLibrary(library_id=library, type="full"), f"scan:{library}")
    assert await queue.enqueue(None, "libraries.scan", {}, dedupe_key=f"scan:{library}") is None
    assert [(p.library_id, p.type) for p in queue.payloads(scan_library)] == [(library, "full")]
    with pytest.raises(KeyError):
        await queue.enqueue(None, "libraries.nothing")
    assert len(queue.take("libraries.scan")) == 1 and queue.queued == []


async def test_search_index_matches_every_word_within_what_the_caller_may_see() -> None:
    index: SearchIndex = MemorySearchIndex()
    assert isinstance(index, MemorySearchIndex)
    index.add(hit("Heat"))
    index.add(hit("Heat Wave", year=2010))
    index.add(hit("Ronin"))
    found = await index.search(None, SearchQuery("heat"), None)  # type: ignore[arg-type]
    assert sorted(h.title for h in found.hits) == ["Heat", "Heat Wave"]
    assert found.totals == {"movie": 2}
    older = await index.search(None, SearchQuery("heat", year_to=2000), None)  # type: ignore[arg-type]
    assert [h.title for h in older.hits] == ["Heat"]
    assert (await index.search(None, SearchQuery("heat"), set())).hits == []  # type: ignore[arg-type]


async def test_static_keys_raise_like_the_credential_store() -> None:
    keys: KeySource = StaticKeys(tmdb="k")
    assert await keys.get("tmdb") == "k"
    with pytest.raises(NoProviderKey):
        await keys.get("tvdb")
