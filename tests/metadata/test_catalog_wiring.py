"""Scanning a movie library and fetching its metadata into the catalogue, end to end."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import text

from revenge.features import collector
from revenge.infra.jobs.context import JobContext
from revenge.metadata import MetadataFeature
from revenge.metadata.jobs import fetch
from revenge.metadata.wiring import build
from revenge.runtime import Runtime
from revenge.testing.fake_api import FakeApi, fake_api
from tests.libraries.conftest import LibraryMaker, Scanner, api, make_library, scan  # noqa: F401
from tests.support.media import make_video

MATRIX_OVERVIEW = "Set in the 22nd century"
NFO = b"""<?xml version="1.0" encoding="UTF-8"?>
<movie><title>Neo Story</title><year>1999</year>
<uniqueid type="tmdb" default="true">603</uniqueid></movie>
"""


@pytest.fixture
def tmdb() -> Iterator[FakeApi]:
    with fake_api() as server:
        server.json("/configuration", "tmdb/configuration")
        server.json("/search/movie", "tmdb/search_movie_matrix")
        server.json("/movie/603", "tmdb/movie_603")
        yield server


@pytest.fixture
async def wired(
    clean_runtime: Runtime, tmdb: FakeApi, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[MetadataFeature]:
    """The runtime's real metadata feature, rebuilt to call the local TMDb."""
    previous = clean_runtime.metadata
    monkeypatch.setattr(clean_runtime.settings.metadata, "tmdb_base_url", tmdb.url)
    feature = build(clean_runtime, collector())
    yield feature
    clean_runtime.metadata = previous


def ctx(runtime: Runtime) -> JobContext:
    return JobContext(runtime=runtime, job_id=0, task="metadata.fetch", attempt=1)


def queued(runtime: Runtime, entrypoint: str) -> list[dict[str, Any]]:
    with psycopg.connect(runtime.db.url) as conn:
        rows = conn.execute(
            "SELECT payload FROM pgqueuer WHERE entrypoint = %s ORDER BY id", (entrypoint,)
        )
        return [json.loads(bytes(p)) for (p,) in rows]


async def movies(runtime: Runtime) -> dict[str, dict[str, Any]]:
    """Movie rows keyed by the folder of their file."""
    async with runtime.db.transaction() as session:
        rows = await session.execute(
            text(
                "SELECT m.*, f.folder FROM movies m"
                " JOIN media_files f ON f.item_kind = 'movie' AND f.item_id = m.id"
            )
        )
        return {Path(r.folder).name: dict(r._mapping) for r in rows}


async def store_tmdb_key(runtime: Runtime) -> None:
    async with runtime.db.transaction() as session:
        await runtime.credentials.put(session, "tmdb", "k" * 32, None)


def library_on_disk(root: Path) -> None:
    make_video(root / "Neo Story (1999)" / "Neo Story (1999).mkv")
    (root / "Neo Story (1999)" / "movie.nfo").write_bytes(NFO)
    make_video(root / "The Matrix (1999)" / "The Matrix (1999).mkv")


async def test_scan_then_fetch_fills_movies_from_tmdb(
    clean_runtime: Runtime,
    wired: MetadataFeature,
    tmdb: FakeApi,
    make_library: LibraryMaker,  # noqa: F811
    scan: Scanner,  # noqa: F811
    tmp_path: Path,
) -> None:
    root = tmp_path / "movies"
    library_on_disk(root)
    await store_tmdb_key(clean_runtime)
    await scan(await make_library("movie", root))
    before = await movies(clean_runtime)
    jobs = queued(clean_runtime, "metadata.fetch")
    assert jobs and all(j["items"] for j in jobs)

    nfo_ref = {"kind": "movie", "id": str(before["Neo Story (1999)"]["id"])}
    await fetch(ctx(clean_runtime), {"items": [nfo_ref]})
    assert tmdb.calls("/search/movie") == []  # matched by the NFO's id, no search
    for job in jobs:
        await fetch(ctx(clean_runtime), job)
    assert len(tmdb.calls("/search/movie")) == 1  # only the movie without an NFO searched

    after = await movies(clean_runtime)
    # A title written in the NFO wins over the provider's; the rest comes from TMDb.
    for folder, title in (("Neo Story (1999)", "Neo Story"), ("The Matrix (1999)", "The Matrix")):
        row = after[folder]
        assert row["title"] == title
        assert row["overview"].startswith(MATRIX_OVERVIEW)
        assert (row["year"], row["tmdb_id"], row["imdb_id"]) == (1999, "603", "tt0133093")
        assert row["metadata_status"] == "matched"
        assert row["metadata_fetched_at"] is not None
    assert "tmdb by id" in after["Neo Story (1999)"]["metadata_reason"]
    assert "tmdb by search" in after["The Matrix (1999)"]["metadata_reason"]
    indexed = {i["id"] for j in queued(clean_runtime, "search.index") for i in j["items"]}
    assert {str(r["id"]) for r in after.values()} <= indexed
    async with clean_runtime.db.transaction() as session:
        members = await session.execute(
            text(
                "SELECT c.name, count(*) FROM video_collections c"
                " JOIN video_collection_movies m ON m.collection_id = c.id GROUP BY c.name"
            )
        )
        assert members.all() == [("The Matrix Collection", 2)]


async def test_locked_field_survives_refresh(
    clean_runtime: Runtime,
    wired: MetadataFeature,
    make_library: LibraryMaker,  # noqa: F811
    scan: Scanner,  # noqa: F811
    tmp_path: Path,
) -> None:
    root = tmp_path / "movies"
    library_on_disk(root)
    await store_tmdb_key(clean_runtime)
    await scan(await make_library("movie", root))
    for job in queued(clean_runtime, "metadata.fetch"):
        await fetch(ctx(clean_runtime), job)
    movie = (await movies(clean_runtime))["The Matrix (1999)"]
    async with clean_runtime.db.transaction() as session:
        await session.execute(
            text(
                "UPDATE movies SET title = 'My Matrix', overview = NULL,"
                " locked_fields = '{title}' WHERE id = :id"
            ),
            {"id": movie["id"]},
        )
    await fetch(ctx(clean_runtime), {"item_ids": [f"movie:{movie['id']}"]})
    row = (await movies(clean_runtime))["The Matrix (1999)"]
    assert row["title"] == "My Matrix"  # locked: the provider's title is not applied
    assert row["overview"].startswith(MATRIX_OVERVIEW)  # unlocked: filled again


async def test_scan_without_key_fetches_locally_and_succeeds(
    clean_runtime: Runtime,
    wired: MetadataFeature,
    tmdb: FakeApi,
    make_library: LibraryMaker,  # noqa: F811
    scan: Scanner,  # noqa: F811
    tmp_path: Path,
) -> None:
    root = tmp_path / "movies"
    library_on_disk(root)
    await scan(await make_library("movie", root))
    jobs = queued(clean_runtime, "metadata.fetch")
    assert jobs
    for job in jobs:
        await fetch(ctx(clean_runtime), job)  # would raise (and the job fail) on error
    assert queued(clean_runtime, "metadata.fetch") == jobs  # nothing re-queued for retry
    assert tmdb.seen == []
    rows = await movies(clean_runtime)
    nfo = rows["Neo Story (1999)"]
    assert (nfo["title"], nfo["tmdb_id"], nfo["metadata_status"]) == ("Neo Story", "603", "local")
    plain = rows["The Matrix (1999)"]
    assert plain["metadata_status"] == "unmatched"
    for row in rows.values():
        assert "no API key configured for tmdb" in row["metadata_reason"]
