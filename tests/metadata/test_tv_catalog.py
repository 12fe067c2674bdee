"""A TV library scanned and enriched end to end: NFO ids, search, ambiguity, locks, TheTVDB."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from revenge.features import collector
from revenge.metadata import MetadataFeature
from revenge.metadata.jobs import fetch
from revenge.metadata.wiring import build
from revenge.runtime import Runtime
from revenge.testing.fake_api import FakeApi
from tests.libraries.conftest import (  # noqa: F401
    AS_ADMIN,
    AS_USER,
    LibraryMaker,
    Scanner,
    api,
    make_library,
    scan,
)
from tests.metadata.test_catalog_wiring import queued, store_tmdb_key
from tests.metadata.tv_support import (
    EPISODE_NFO,
    TVSHOW_NFO,
    ctx,
    episodes_of,
    rows,
    run_fetches,
    series_by_title,
    tmdb_tv_server,
    tvdb_server,
    write_show,
)

BB = ["Breaking Bad - S01E01.mkv", "Breaking Bad - S01E02.mkv"]


@pytest.fixture
def tmdb() -> Iterator[FakeApi]:
    yield from tmdb_tv_server()


@pytest.fixture
def tvdb() -> Iterator[FakeApi]:
    yield from tvdb_server()


@pytest.fixture
async def wired(
    clean_runtime: Runtime, tmdb: FakeApi, tvdb: FakeApi, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[MetadataFeature]:
    """The real metadata feature over the local TMDb (TV from TMDb only unless changed)."""
    previous = clean_runtime.metadata
    settings = clean_runtime.settings.metadata
    monkeypatch.setattr(settings, "tmdb_base_url", tmdb.url)
    monkeypatch.setattr(settings, "tvdb_base_url", tvdb.url)
    monkeypatch.setattr(settings, "tv_providers", ["tmdb"])
    await store_tmdb_key(clean_runtime)
    yield build(clean_runtime, collector())
    clean_runtime.metadata = previous


async def test_tv_library_with_nfo_gets_exact_matches(
    clean_runtime: Runtime,
    wired: MetadataFeature,
    tmdb: FakeApi,
    api: httpx.AsyncClient,  # noqa: F811
    make_library: LibraryMaker,  # noqa: F811
    scan: Scanner,  # noqa: F811
    tmp_path: Path,
) -> None:
    show = write_show(tmp_path / "tv", "Breaking Bad (2008)", BB)
    (show / "tvshow.nfo").write_bytes(TVSHOW_NFO)
    (show / "Season 01" / "Breaking Bad - S01E01.nfo").write_bytes(EPISODE_NFO)
    await scan(await make_library("tv", tmp_path / "tv"))
    await run_fetches(clean_runtime)

    assert tmdb.calls("/search/tv") == []  # the NFO's id is an exact match
    series = (await series_by_title(clean_runtime))["breaking bad"]
    assert (series["title"], series["year"], series["metadata_status"]) == (
        "Breaking Bad", 2008, "matched",
    )  # fmt: skip
    assert series["overview"].startswith("Walter White, a New Mexico chemistry teacher")
    assert series["genres"] == ["Drama", "Crime"]
    assert (series["tmdb_id"], series["imdb_id"], series["tvdb_id"]) == (
        "1396", "tt0903747", "81189",
    )  # fmt: skip
    assert (series["community_rating"], series["runtime_minutes"]) == (8.9, 45)
    assert "tmdb by id" in series["metadata_reason"]

    episodes = await episodes_of(clean_runtime, series["id"])
    pilot, second = episodes[(1, 1)], episodes[(1, 2)]
    assert pilot["title"] == "Pilot (Extended Cut)"  # the episode NFO wins over TMDb
    assert pilot["overview"].startswith("A chemistry teacher's first day")
    assert (second["title"], second["air_date"], second["runtime_minutes"]) == (
        "Cat's in the Bag...", dt.date(2008, 1, 27), 49,
    )  # fmt: skip
    assert {e["metadata_status"] for e in episodes.values()} == {"matched"}
    stills = [p for p in queued(clean_runtime, "images.download") if p["target"]["kind"] == "still"]
    assert {p["target"]["item_id"] for p in stills} == {
        f"episode:{e['id']}" for e in episodes.values()
    }
    assert all(p["url"].startswith(tmdb.url + "/img/original/") for p in stills)

    detail = await api.get(f"/api/v1/tv/series/{series['id']}", headers=AS_ADMIN)
    assert detail.status_code == 200, detail.text
    body = detail.json()
    assert [(p["name"], p["role"], p["character"]) for p in body["people"]] == [
        ("Bryan Cranston", "actor", "Walter White"),
        ("Vince Gilligan", "writer", None),
    ]
    assert (body["genres"], body["community_rating"]) == (["Drama", "Crime"], 8.9)
    episode = (await api.get(f"/api/v1/tv/episodes/{pilot['id']}", headers=AS_ADMIN)).json()
    assert [p["name"] for p in episode["people"]] == ["Aaron Paul"]


async def test_tv_library_without_nfo_is_matched_by_search_and_ambiguous_left(
    clean_runtime: Runtime,
    wired: MetadataFeature,
    tmdb: FakeApi,
    make_library: LibraryMaker,  # noqa: F811
    scan: Scanner,  # noqa: F811
    tmp_path: Path,
) -> None:
    write_show(tmp_path / "tv", "Breaking Bad (2008)", BB)
    write_show(tmp_path / "tv", "The Office", ["The Office - S01E01.mkv"])
    await scan(await make_library("tv", tmp_path / "tv"))
    await run_fetches(clean_runtime)

    # One search per series; episodes never search, they follow their series.
    assert sorted(c.query["query"] for c in tmdb.calls("/search/tv")) == [
        "Breaking Bad", "The Office",
    ]  # fmt: skip
    found = await series_by_title(clean_runtime)
    bb, office = found["breaking bad"], found["the office"]
    assert (bb["tmdb_id"], bb["metadata_status"]) == ("1396", "matched")
    assert "tmdb by search" in bb["metadata_reason"]
    bb_episodes = await episodes_of(clean_runtime, bb["id"])
    assert [bb_episodes[(1, n)]["title"] for n in (1, 2)] == ["Pilot", "Cat's in the Bag..."]
    # Two shows called "The Office" and no year to tell them apart: left for a person.
    assert (office["metadata_status"], office["tmdb_id"]) == ("ambiguous", None)
    assert office["title"] == "The Office"
    (episode,) = (await episodes_of(clean_runtime, office["id"])).values()
    assert episode["metadata_status"] == "unmatched"
    assert "not identified" in episode["metadata_reason"]


async def test_identify_series_then_edited_field_survives_refresh(
    clean_runtime: Runtime,
    wired: MetadataFeature,
    tmdb: FakeApi,
    api: httpx.AsyncClient,  # noqa: F811
    make_library: LibraryMaker,  # noqa: F811
    scan: Scanner,  # noqa: F811
    tmp_path: Path,
) -> None:
    write_show(
        tmp_path / "tv", "The Office", ["The Office - S01E01.mkv", "The Office - S01E02.mkv"]
    )
    await scan(await make_library("tv", tmp_path / "tv"))
    await run_fetches(clean_runtime)
    office = (await series_by_title(clean_runtime))["the office"]
    url = f"/api/v1/tv/series/{office['id']}"

    listed = await api.get(f"{url}/identify", headers=AS_ADMIN)
    assert listed.status_code == 200, listed.text
    assert {(c["provider_id"], c["year"]) for c in listed.json()} == {
        ("2316", 2005),
        ("2996", 2001),
    }
    # A user not granted the library learns nothing about it.
    assert (await api.get(f"{url}/identify", headers=AS_USER)).status_code == 404
    bad = await api.post(f"{url}/identify", json={"provider": "tvdb", "id": "1"}, headers=AS_ADMIN)
    assert bad.status_code == 400  # TheTVDB is not configured for TV here
    chosen = await api.post(
        f"{url}/identify", json={"provider": "tmdb", "id": "2316"}, headers=AS_ADMIN
    )
    assert chosen.status_code == 200, chosen.text
    assert (chosen.json()["tmdb_id"], chosen.json()["metadata_status"]) == ("2316", "matched")
    # The correction queues the series' episodes to be described again.
    (refetch,) = [j for j in queued(clean_runtime, "metadata.fetch") if "item_ids" in j]
    episodes = await episodes_of(clean_runtime, office["id"])
    assert sorted(refetch["item_ids"]) == sorted(f"episode:{e['id']}" for e in episodes.values())
    await fetch(ctx(clean_runtime), refetch)
    episodes = await episodes_of(clean_runtime, office["id"])
    assert [episodes[(1, n)]["title"] for n in (1, 2)] == ["Pilot", "Diversity Day"]
    assert {e["tmdb_id"] for e in episodes.values()} == {"179580", "179581"}

    edited = await api.patch(
        f"{url}/metadata", json={"title": "The Office (US)", "genres": ["Sitcom"]}, headers=AS_ADMIN
    )
    assert edited.status_code == 200, edited.text
    assert sorted(edited.json()["locked_fields"]) == ["genres", "title"]
    unknown = await api.patch(f"{url}/metadata", json={"unlock": ["tmdb_id"]}, headers=AS_ADMIN)
    assert unknown.status_code == 422
    await rows(
        clean_runtime,
        "UPDATE series SET overview = NULL WHERE id = :i RETURNING id",
        i=office["id"],
    )
    await fetch(ctx(clean_runtime), {"item_ids": [f"series:{office['id']}"]})
    after = (await api.get(url, headers=AS_ADMIN)).json()
    assert (after["title"], after["genres"]) == ("The Office (US)", ["Sitcom"])  # locked
    assert after["overview"].startswith("The everyday lives of office employees")  # refilled
    assert after["tmdb_id"] == "2316" and after["community_rating"] == 8.6


async def test_tvdb_folder_id_and_absolute_episode_order(
    clean_runtime: Runtime,
    wired: MetadataFeature,
    tvdb: FakeApi,
    make_library: LibraryMaker,  # noqa: F811
    scan: Scanner,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(clean_runtime.settings.metadata, "tv_providers", ["tvdb"])
    feature = build(clean_runtime, collector())
    async with clean_runtime.db.transaction() as session:
        await clean_runtime.credentials.put(session, "tvdb", "tvdb-project-key", None)
    show = tmp_path / "tv" / "Breaking Bad {tvdb-81189}"
    from tests.support.media import make_video

    for n in (1, 3):
        make_video(show / f"Breaking Bad - {n:03d}.mkv")
    library = await make_library("tv", tmp_path / "tv")
    await rows(
        clean_runtime,
        """UPDATE libraries SET scan_settings = '{"episode_order": "absolute"}'
           WHERE id = :i RETURNING id""",
        i=library["id"],
    )
    await scan(library)
    assert feature is clean_runtime.metadata
    await run_fetches(clean_runtime)

    assert tvdb.calls("/search") == []  # the folder's id is an exact match
    series = next(iter((await series_by_title(clean_runtime)).values()))
    assert (series["tvdb_id"], series["imdb_id"], series["metadata_status"]) == (
        "81189", "tt0903747", "matched",
    )  # fmt: skip
    assert series["runtime_minutes"] == 47
    episodes = await rows(
        clean_runtime, "SELECT * FROM episodes WHERE series_id = :s", s=series["id"]
    )
    by_absolute = {e["absolute_number"]: e for e in episodes}
    assert by_absolute[1]["title"] == "Pilot"
    assert by_absolute[3]["title"] == "...And the Bag's in the River"
    assert tvdb.calls("/series/81189/episodes/absolute")
    assert len(tvdb.calls("/login")) == 1
