"""Music enriched from tags, MusicBrainz and the Cover Art Archive; people on detail and search."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from revenge.features import collector
from revenge.images.jobs import download
from revenge.images.tasks import download_image
from revenge.infra.jobs.context import JobContext
from revenge.metadata import MetadataFeature
from revenge.metadata.wiring import build
from revenge.runtime import Runtime
from revenge.search.jobs import index as index_job
from revenge.testing.fake_api import FakeApi, Reply, fake_api, fixture
from tests.images.samples import encoded
from tests.libraries.conftest import (  # noqa: F401
    AS_ADMIN,
    LibraryMaker,
    Scanner,
    api,
    make_library,
    scan,
)
from tests.metadata.test_catalog_wiring import library_on_disk, queued, store_tmdb_key
from tests.metadata.tv_support import rows, run_fetches
from tests.support.media import make_audio

DOWNLOAD = download_image.name

RELEASE = "0b6b4ba0-d36f-47bd-b4ea-6a5b91842d29"
RADIOHEAD = "a74b1b7f-71a5-4011-9441-d0b5e4122711"
AIRBAG = "6b9a509f-6907-4a6e-9345-2f12da09ba4b"
COVER = encoded("JPEG", (60, 60), (200, 30, 30))


@pytest.fixture
def musicbrainz() -> Iterator[FakeApi]:
    with fake_api() as server:
        server.json("/release", "musicbrainz/release_search_ok_computer")
        server.json(f"/release/{RELEASE}", "musicbrainz/release_ok_computer")
        yield server


@pytest.fixture
def coverart() -> Iterator[FakeApi]:
    """The archive: a redirect to the release's JSON index, whose images it serves itself."""
    with fake_api() as server:
        index = copy.deepcopy(fixture("musicbrainz/coverart_ok_computer"))
        for n, image in enumerate(index["images"]):
            image["image"] = f"{server.url}/img/{n}.jpg"
            server.on(
                "GET", f"/img/{n}.jpg", Reply(body=COVER, headers={"Content-Type": "image/jpeg"})
            )
        location = f"/download/mbid-{RELEASE}/index.json"
        server.on("GET", f"/release/{RELEASE}", Reply(307, b"", {"Location": location}))
        server.on("GET", location, Reply(body=index))
        yield server


@pytest.fixture
def tmdb() -> Iterator[FakeApi]:
    with fake_api() as server:
        server.json("/configuration", "tmdb/configuration")
        server.json("/search/movie", "tmdb/search_movie_matrix")
        server.json("/movie/603", "tmdb/movie_603")
        yield server


@pytest.fixture
async def wired(
    clean_runtime: Runtime,
    musicbrainz: FakeApi,
    coverart: FakeApi,
    tmdb: FakeApi,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[MetadataFeature]:
    previous = clean_runtime.metadata
    settings = clean_runtime.settings
    monkeypatch.setattr(settings.metadata, "musicbrainz_base_url", musicbrainz.url)
    monkeypatch.setattr(settings.metadata, "coverart_base_url", coverart.url)
    monkeypatch.setattr(settings.metadata, "tmdb_base_url", tmdb.url)
    monkeypatch.setattr(settings.http, "outbound_allowlist", ["127.0.0.1"])
    monkeypatch.setattr(clean_runtime, "images", None)
    yield build(clean_runtime, collector())
    clean_runtime.metadata = previous


def job(runtime: Runtime, task: str) -> JobContext:
    return JobContext(runtime=runtime, job_id=0, task=task, attempt=1)


def album_on_disk(root: Path) -> None:
    folder = root / "Radiohead" / "OK Computer"
    for n, title in ((1, "Airbag"), (2, "Paranoid Android"), (3, "Subterranean Homesick Alien")):
        tags = {
            "title": title, "artist": "Radiohead", "album_artist": "Radiohead",
            "album": "OK Computer", "track": str(n), "date": "1997",
        }  # fmt: skip
        make_audio(folder / f"{n:02d} - {title}.mp3", seconds=0.2, tags=tags)


async def test_music_library_gets_album_metadata_and_cover_art(
    clean_runtime: Runtime,
    wired: MetadataFeature,
    musicbrainz: FakeApi,
    api: httpx.AsyncClient,  # noqa: F811
    make_library: LibraryMaker,  # noqa: F811
    scan: Scanner,  # noqa: F811
    tmp_path: Path,
) -> None:
    album_on_disk(tmp_path / "music")
    await scan(await make_library("music", tmp_path / "music"))
    await run_fetches(clean_runtime)

    (search,) = musicbrainz.calls("/release")  # one search for the album, none per track
    assert search.query["query"] == 'release:"OK Computer" AND artist:"Radiohead" AND date:1997'
    (album,) = await rows(clean_runtime, "SELECT * FROM albums")
    assert (album["musicbrainz_id"], album["year"], album["metadata_status"]) == (
        RELEASE, 1997, "matched",
    )  # fmt: skip
    assert album["genres"] == ["Art Rock", "Alternative Rock"]
    (artist,) = await rows(clean_runtime, "SELECT * FROM artists")
    assert artist["musicbrainz_id"] == RADIOHEAD
    tracks = {t["title"]: t for t in await rows(clean_runtime, "SELECT * FROM tracks")}
    assert tracks["Airbag"]["musicbrainz_id"] == AIRBAG

    covers = [p for p in queued(clean_runtime, DOWNLOAD) if p["target"]["kind"] == "cover"]
    assert [p["target"]["item_id"] for p in covers] == [f"album:{album['id']}"]
    await download(job(clean_runtime, DOWNLOAD), covers[0])
    detail = (await api.get(f"/api/v1/music/albums/{album['id']}", headers=AS_ADMIN)).json()
    (cover,) = detail["images"]
    assert (cover["kind"], cover["width"], cover["height"]) == ("cover", 60, 60)
    assert [(p["name"], p["role"]) for p in detail["people"]] == [("Radiohead", "artist")]
    assert detail["genres"] == ["Art Rock", "Alternative Rock"]


async def test_album_edit_survives_refresh_and_identify_lists_releases(
    clean_runtime: Runtime,
    wired: MetadataFeature,
    api: httpx.AsyncClient,  # noqa: F811
    make_library: LibraryMaker,  # noqa: F811
    scan: Scanner,  # noqa: F811
    tmp_path: Path,
) -> None:
    album_on_disk(tmp_path / "music")
    await scan(await make_library("music", tmp_path / "music"))
    await run_fetches(clean_runtime)
    (album,) = await rows(clean_runtime, "SELECT id FROM albums")
    url = f"/api/v1/music/albums/{album['id']}"

    found = await api.get(f"{url}/identify", headers=AS_ADMIN)
    assert found.status_code == 200, found.text
    assert found.json()[0]["provider_id"] == RELEASE
    edited = await api.patch(f"{url}/metadata", json={"genres": ["Britpop"]}, headers=AS_ADMIN)
    assert edited.status_code == 200 and edited.json()["locked_fields"] == ["genres"]
    chosen = await api.post(
        f"{url}/identify", json={"provider": "musicbrainz", "id": RELEASE}, headers=AS_ADMIN
    )
    assert chosen.status_code == 200, chosen.text
    body = chosen.json()
    assert (body["genres"], body["musicbrainz_id"]) == (["Britpop"], RELEASE)


async def search_for(client: httpx.AsyncClient, q: str) -> list[dict[str, Any]]:
    response = await client.get("/api/v1/search", params={"q": q}, headers=AS_ADMIN)
    assert response.status_code == 200, response.text
    hits: list[dict[str, Any]] = response.json()["items"]
    return hits


async def test_people_are_listed_on_detail_and_found_by_search(
    clean_runtime: Runtime,
    wired: MetadataFeature,
    coverart: FakeApi,
    api: httpx.AsyncClient,  # noqa: F811
    make_library: LibraryMaker,  # noqa: F811
    scan: Scanner,  # noqa: F811
    tmp_path: Path,
) -> None:
    library_on_disk(tmp_path / "movies")
    await store_tmdb_key(clean_runtime)
    await scan(await make_library("movie", tmp_path / "movies"))
    await run_fetches(clean_runtime)
    for payload in queued(clean_runtime, "search.index"):
        await index_job(job(clean_runtime, "search.index"), payload)

    movies = await rows(clean_runtime, "SELECT id, title FROM movies ORDER BY title")
    matrix = next(m for m in movies if m["title"] == "The Matrix")
    detail = (await api.get(f"/api/v1/movies/{matrix['id']}", headers=AS_ADMIN)).json()
    assert [(p["name"], p["role"], p["character"]) for p in detail["people"]][:3] == [
        ("Keanu Reeves", "actor", "Thomas A. Anderson / Neo"),
        ("Laurence Fishburne", "actor", "Morpheus"),
        ("Lana Wachowski", "director", None),
    ]
    assert (detail["community_rating"], detail["runtime_minutes"]) == (8.2, 136)
    # Both folders are the same TMDb movie, so both list the same person once.
    (person,) = await rows(clean_runtime, "SELECT id FROM people WHERE name = 'Keanu Reeves'")
    credits = await rows(
        clean_runtime, "SELECT item_id FROM item_people WHERE person_id = :p", p=person["id"]
    )
    assert len(credits) == 2

    # Their photos are fetched once each, and then shown with the credit.
    photos = [p for p in queued(clean_runtime, DOWNLOAD) if p["target"]["kind"] == "photo"]
    keanu = [p for p in photos if p["url"].endswith("/4D0PpNI0kmP58hgrwGC3wCjxhnm.jpg")]
    assert len(keanu) == 1 and keanu[0]["target"]["item_id"] == f"person:{person['id']}"
    # image.tmdb.org is out of reach here: the archive's local server serves the bytes.
    await download(job(clean_runtime, DOWNLOAD), {**keanu[0], "url": f"{coverart.url}/img/0.jpg"})
    detail = (await api.get(f"/api/v1/movies/{matrix['id']}", headers=AS_ADMIN)).json()
    assert detail["people"][0]["photo_id"] is not None and detail["people"][1]["photo_id"] is None
    photo = await api.get(f"/api/v1/images/{detail['people'][0]['photo_id']}", headers=AS_ADMIN)
    assert photo.status_code == 200 and photo.headers["content-type"] == "image/jpeg"

    hits = await search_for(api, "keanu reeves")
    assert {h["id"] for h in hits} == {str(m["id"]) for m in movies}
    assert await search_for(api, "fishburn") != []  # a typo still finds the actor's films

    by_rating = await api.get(
        "/api/v1/movies", params={"sort": "rating", "order": "desc"}, headers=AS_ADMIN
    )
    assert by_rating.status_code == 200
    assert [m["community_rating"] for m in by_rating.json()["items"]] == [8.2, 8.2]


async def test_audiobook_described_by_its_tags_when_no_release_fits(
    clean_runtime: Runtime,
    wired: MetadataFeature,
    musicbrainz: FakeApi,
    api: httpx.AsyncClient,  # noqa: F811
    make_library: LibraryMaker,  # noqa: F811
    scan: Scanner,  # noqa: F811
    tmp_path: Path,
) -> None:
    tags = {
        "title": "Dune", "album": "Dune", "artist": "Frank Herbert", "genre": "Science Fiction",
        "composer": "Scott Brick, Simon Vance", "date": "1965",
    }  # fmt: skip
    make_audio(tmp_path / "books" / "Dune.m4b", seconds=0.5, tags=tags)
    await scan(await make_library("audiobook", tmp_path / "books"))
    await run_fetches(clean_runtime)

    (search,) = musicbrainz.calls("/release")
    assert "secondarytype:audiobook" in search.query["query"]
    (book,) = await rows(clean_runtime, "SELECT * FROM audiobooks")
    # MusicBrainz only offered an album by another name: the tags describe the book.
    assert (book["metadata_status"], book["genres"], book["year"]) == (
        "local", ["Science Fiction"], 1965,
    )  # fmt: skip
    assert book["musicbrainz_id"] is None
    credits = await rows(
        clean_runtime,
        """SELECT p.name, ip.role FROM item_people ip JOIN people p ON p.id = ip.person_id
           WHERE ip.item_kind = 'audiobook' ORDER BY ip.position""",
    )
    assert [(c["name"], c["role"]) for c in credits] == [
        ("Frank Herbert", "author"), ("Scott Brick", "narrator"), ("Simon Vance", "narrator"),
    ]  # fmt: skip
