"""Enrichment end to end: a library of test files, loopback providers, the real job functions."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from revenge.catalog.registry import KINDS
from revenge.config import MetadataSettings
from revenge.infra.jobs.context import JobContext
from revenge.metadata import MetadataFeature
from revenge.metadata.breaker import MemoryCircuitBreaker
from revenge.metadata.errors import ProviderUnavailable
from revenge.metadata.jobs import fetch, refresh
from revenge.metadata.ratelimit import MemoryRateLimiter
from revenge.metadata.registry import build_provider_registry
from revenge.metadata.service import MetadataService
from revenge.metadata.writer import ItemFacts
from revenge.runtime import Runtime
from revenge.testing import MemoryWriter, StaticKeys
from revenge.testing.fake_api import FakeApi, Reply, fake_api, fixture
from tests.metadata.test_nfo import MOVIE_NFO


@pytest.fixture
def tmdb_api() -> Iterator[FakeApi]:
    with fake_api() as api:
        api.json("/configuration", "tmdb/configuration")
        api.json("/search/movie", "tmdb/search_movie_matrix")
        api.json("/movie/603", "tmdb/movie_603")
        api.json("/search/tv", "tmdb/search_tv_office")
        yield api


@pytest.fixture
def tvdb_api() -> Iterator[FakeApi]:
    with fake_api() as api:
        api.on("POST", "/login", Reply(500, b"Internal Server Error"))
        yield api


@pytest.fixture
async def feature(
    clean_runtime: Runtime, tmdb_api: FakeApi, tvdb_api: FakeApi
) -> AsyncIterator[MetadataFeature]:
    settings = MetadataSettings(
        tmdb_base_url=tmdb_api.url,
        tvdb_base_url=tvdb_api.url,
        tv_providers=["tvdb", "tmdb"],
        retry_base_seconds=0.01,
        max_retries=1,
    )
    async with httpx.AsyncClient() as client:
        breaker = MemoryCircuitBreaker()
        registry = build_provider_registry(
            settings,
            client,
            MemoryRateLimiter(),
            StaticKeys(tmdb="k" * 32, tvdb="key"),
            breaker=breaker,
            kinds=[k.providers() for k in KINDS if k.providers is not None],
        )
        writer = MemoryWriter()
        installed = MetadataFeature(
            MetadataService(registry, settings), writer, MemoryRateLimiter(), breaker
        )
        wired = clean_runtime.metadata
        clean_runtime.metadata = installed
        yield installed
        clean_runtime.metadata = wired


def ctx(runtime: Runtime, task: str = "metadata.fetch") -> JobContext:
    return JobContext(runtime=runtime, job_id=0, task=task, attempt=1)


def library(root: Path) -> dict[str, ItemFacts]:
    """Movie folders: one with an NFO, one with an id in its name, one plain; one TV show."""
    with_nfo = root / "movies" / "Matrix, The" / "matrix.mkv"
    tagged = root / "movies" / "Some Folder {tmdb-603}" / "film.mkv"
    plain = root / "movies" / "The Matrix (1999)" / "The Matrix (1999).mkv"
    office = root / "tv" / "The Office"
    for video in (with_nfo, tagged, plain):
        video.parent.mkdir(parents=True)
        video.write_bytes(b"")
    (with_nfo.parent / "movie.nfo").write_bytes(MOVIE_NFO)
    (with_nfo.parent / "poster.jpg").write_bytes(b"")
    office.mkdir(parents=True)
    return {
        "nfo": ItemFacts(item_id="nfo", kind="movie", title="matrix", path=with_nfo),
        "tagged": ItemFacts(item_id="tagged", kind="movie", title="film", path=tagged),
        "plain": ItemFacts(
            item_id="plain", kind="movie", title="The Matrix", year=1999, path=plain
        ),
        "office": ItemFacts(item_id="office", kind="series", title="The Office", path=office),
    }


async def queued(runtime: Runtime, entrypoint: str) -> list[tuple[object, ...]]:
    with psycopg.connect(runtime.db.url) as conn:
        return list(
            conn.execute(
                "SELECT payload, execute_after - now() FROM pgqueuer WHERE entrypoint = %s"
                " ORDER BY execute_after",
                (entrypoint,),
            )
        )


async def test_library_matching(
    feature: MetadataFeature, clean_runtime: Runtime, tmdb_api: FakeApi, tmp_path: Path
) -> None:
    writer = feature.writer
    assert isinstance(writer, MemoryWriter)
    for facts in library(tmp_path).values():
        writer.add(facts)

    await fetch(ctx(clean_runtime), {"item_ids": ["nfo", "tagged"]})
    # Ids from the NFO and from the folder name: exact matches, no search at all.
    assert tmdb_api.calls("/search/movie") == []
    for item in ("nfo", "tagged"):
        outcome = writer.saved[item]
        assert outcome.status == "matched" and outcome.matches[0].method == "id"
        assert outcome.metadata is not None and outcome.metadata.ids.tmdb == "603"
    nfo = writer.saved["nfo"].metadata
    assert nfo is not None
    # The NFO's own fields win; TMDb fills in what it left out.
    assert nfo.overview == "A hacker learns the truth about his reality."
    assert writer.saved["nfo"].provenance["overview"] == "nfo"
    assert nfo.studios == ("Warner Bros.",) and nfo.collection is not None
    assert writer.saved["nfo"].provenance["original_language"] == "tmdb"

    await fetch(ctx(clean_runtime), {"item_id": "plain"})
    plain = writer.saved["plain"]
    assert plain.status == "matched" and plain.matches[0].method == "search"
    assert plain.matches[0].provider_id == "603" and plain.matches[0].confidence == 1.0

    await fetch(ctx(clean_runtime), {"item_id": "office"})
    assert "office" not in writer.saved
    left = writer.unmatched["office"]
    assert left.status == "ambiguous" and {c.candidate.provider_id for c in left.candidates} == {
        "2316",
        "2996",
    }
    # TheTVDB was down (500 on login); TMDb's answer was still used.
    assert "tvdb" in left.errors and "HTTP 500" in left.errors["tvdb"]

    downloads = await queued(clean_runtime, "images.download")
    payloads = [json.loads(p) for p, _ in downloads]
    local_poster = [
        p for p in payloads if p["target"]["item_id"] == "nfo" and p["target"]["kind"] == "poster"
    ]
    assert local_poster and local_poster[0]["path"].endswith("Matrix, The/poster.jpg")


async def test_edited_field_survives_a_refresh(
    feature: MetadataFeature, clean_runtime: Runtime, tmp_path: Path
) -> None:
    writer = feature.writer
    assert isinstance(writer, MemoryWriter)
    writer.add(library(tmp_path)["plain"])
    await fetch(ctx(clean_runtime), {"item_id": "plain"})
    writer.edit("plain", title="Matrix (my cut)", genres=("Cyberpunk",))
    await fetch(ctx(clean_runtime), {"item_id": "plain"})
    meta = writer.saved["plain"].metadata
    assert meta is not None
    assert meta.title == "Matrix (my cut)" and meta.genres == ("Cyberpunk",)
    assert meta.overview and meta.overview.startswith("Set in the 22nd century")
    assert writer.saved["plain"].provenance["title"] == "user"


async def test_all_providers_down_retries_the_job(
    feature: MetadataFeature, clean_runtime: Runtime, tmdb_api: FakeApi, tmp_path: Path
) -> None:
    writer = feature.writer
    assert isinstance(writer, MemoryWriter)
    writer.add(library(tmp_path)["plain"])
    tmdb_api.on("GET", "/search/movie", Reply(503, fixture("tmdb/error_500")))
    with pytest.raises(ProviderUnavailable):
        await fetch(ctx(clean_runtime), {"item_id": "plain"})
    assert "plain" not in writer.saved and "plain" not in writer.unmatched


async def test_refresh_spreads_stale_items_over_time(
    feature: MetadataFeature, clean_runtime: Runtime
) -> None:
    writer = feature.writer
    assert isinstance(writer, MemoryWriter)
    for n in range(45):
        writer.add(ItemFacts(item_id=f"item-{n}", kind="movie", title=f"Movie {n}"))
    await refresh(ctx(clean_runtime, "metadata.refresh"), {})
    jobs = await queued(clean_runtime, "metadata.fetch")
    assert [len(json.loads(p)["item_ids"]) for p, _ in jobs] == [20, 20, 5]
    delays = [d.total_seconds() for _, d in jobs]
    spread = clean_runtime.settings.metadata.refresh_spread_seconds
    assert delays[0] < 5 and abs(delays[1] - spread / 3) < 5 and abs(delays[2] - 2 * spread / 3) < 5
