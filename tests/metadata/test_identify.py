"""Identifying a movie by hand, editing its metadata, and its artwork on the detail page."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import text

from revenge.features import collector
from revenge.images.jobs import download
from revenge.images.tasks import download_image
from revenge.infra.jobs.context import JobContext
from revenge.metadata import MetadataFeature
from revenge.metadata.jobs import fetch
from revenge.metadata.wiring import build
from revenge.runtime import Runtime
from revenge.testing.auth import USER
from revenge.testing.fake_api import FakeApi, Reply, fake_api, fixture
from tests.images.samples import encoded
from tests.libraries.conftest import (  # noqa: F401
    AS_ADMIN,
    AS_USER,
    LibraryMaker,
    Scanner,
    api,
    make_library,
    scan,
)
from tests.metadata.test_catalog_wiring import MATRIX_OVERVIEW, ctx, movies, queued, store_tmdb_key
from tests.support.media import make_video

DOWNLOAD = download_image.name

Made = tuple[dict[str, Any], str]


@pytest.fixture
def tmdb() -> Iterator[FakeApi]:
    """Local TMDb whose image base points back at itself, so artwork downloads stay local."""
    with fake_api() as server:
        config = fixture("tmdb/configuration")
        config["images"]["secure_base_url"] = f"{server.url}/img/"
        server.on("GET", "/configuration", Reply(body=config))
        server.json("/search/movie", "tmdb/search_movie_matrix")
        server.json("/movie/603", "tmdb/movie_603")
        yield server


@pytest.fixture
async def wired(
    clean_runtime: Runtime, tmdb: FakeApi, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[MetadataFeature]:
    """The real metadata feature over the local TMDb; its host allowlisted for image fetches."""
    previous = clean_runtime.metadata
    monkeypatch.setattr(clean_runtime.settings.metadata, "tmdb_base_url", tmdb.url)
    monkeypatch.setattr(clean_runtime.settings.http, "outbound_allowlist", ["127.0.0.1"])
    monkeypatch.setattr(clean_runtime, "images", None)
    await store_tmdb_key(clean_runtime)
    feature = build(clean_runtime, collector())
    yield feature
    clean_runtime.metadata = previous


@pytest.fixture
async def movie(
    wired: MetadataFeature,
    make_library: LibraryMaker,  # noqa: F811
    scan: Scanner,  # noqa: F811
    tmp_path: Path,
) -> Made:
    """A scanned movie whose folder name matches nothing well: (library, movie id)."""
    root = tmp_path / "movies"
    make_video(root / "Neo Story (1999)" / "Neo Story (1999).mkv")
    library = await make_library("movie", root)
    await scan(library)
    return library, str(next(iter((await rows_by_folder(wired)).values()))["id"])


async def rows_by_folder(wired: MetadataFeature) -> dict[str, dict[str, Any]]:
    runtime: Runtime = wired.writer._runtime  # type: ignore[attr-defined]
    return await movies(runtime)


def job_ctx(runtime: Runtime, task: str) -> JobContext:
    return JobContext(runtime=runtime, job_id=0, task=task, attempt=1)


async def refresh(runtime: Runtime, movie_id: str) -> None:
    await fetch(ctx(runtime), {"item_ids": [f"movie:{movie_id}"]})


async def test_identify_lists_candidates_and_applies_the_chosen_one(
    clean_runtime: Runtime,
    api: httpx.AsyncClient,  # noqa: F811
    tmdb: FakeApi,
    movie: Made,
) -> None:
    _, movie_id = movie
    found = await api.get(
        f"/api/v1/movies/{movie_id}/identify", params={"q": "The Matrix"}, headers=AS_ADMIN
    )
    assert found.status_code == 200, found.text
    candidates = found.json()
    assert candidates[0]["provider"] == "tmdb" and candidates[0]["provider_id"] == "603"
    assert candidates[0]["title"] == "The Matrix"
    scores = [c["confidence"] for c in candidates]
    assert scores == sorted(scores, reverse=True) and 0.8 < scores[0] <= 1.0
    assert tmdb.calls("/search/movie")[-1].query["query"] == "The Matrix"

    chosen = await api.post(
        f"/api/v1/movies/{movie_id}/identify",
        json={"provider": "tmdb", "id": "603"},
        headers=AS_ADMIN,
    )
    assert chosen.status_code == 200, chosen.text
    body = chosen.json()
    assert (body["title"], body["tmdb_id"], body["metadata_status"]) == (
        "The Matrix",
        "603",
        "matched",
    )
    assert "tmdb by user" in body["metadata_reason"]

    searches = len(tmdb.calls("/search/movie"))
    await refresh(clean_runtime, movie_id)
    assert len(tmdb.calls("/search/movie")) == searches  # the chosen id is used, no new search
    detail = (await api.get(f"/api/v1/movies/{movie_id}", headers=AS_ADMIN)).json()
    assert (detail["title"], detail["tmdb_id"], detail["metadata_status"]) == (
        "The Matrix", "603", "matched",
    )  # fmt: skip
    assert detail["overview"].startswith(MATRIX_OVERVIEW)


async def test_identify_refuses_bad_choices(
    api: httpx.AsyncClient,  # noqa: F811
    movie: Made,
) -> None:
    _, movie_id = movie
    url = f"/api/v1/movies/{movie_id}/identify"
    unknown = await api.post(url, json={"provider": "nope", "id": "1"}, headers=AS_ADMIN)
    assert unknown.status_code == 422 and "provider" in unknown.json()["detail"]
    missing = await api.post(url, json={"provider": "tmdb", "id": "999999"}, headers=AS_ADMIN)
    assert missing.status_code == 422 and "999999" in missing.json()["detail"]
    malformed = await api.post(url, json={"provider": "tmdb", "id": "../x"}, headers=AS_ADMIN)
    assert malformed.status_code == 422
    nothing = await api.get(f"/api/v1/movies/{uuid.uuid4()}/identify", headers=AS_ADMIN)
    assert nothing.status_code == 404


async def test_only_admins_identify_and_hidden_movies_stay_hidden(
    clean_runtime: Runtime,
    api: httpx.AsyncClient,  # noqa: F811
    movie: Made,
) -> None:
    library, movie_id = movie
    calls = [
        ("GET", f"/api/v1/movies/{movie_id}/identify", None),
        ("POST", f"/api/v1/movies/{movie_id}/identify", {"provider": "tmdb", "id": "603"}),
        ("PATCH", f"/api/v1/movies/{movie_id}/metadata", {"title": "Mine"}),
    ]
    for method, url, body in calls:
        hidden = await api.request(method, url, json=body, headers=AS_USER)
        assert hidden.status_code == 404, (method, hidden.text)  # not even told it exists
    async with clean_runtime.db.transaction() as session:
        await session.execute(
            text("INSERT INTO library_access (library_id, user_id) VALUES (:l, :u)"),
            {"l": library["id"], "u": USER.user_id},
        )
    for method, url, body in calls:
        refused = await api.request(method, url, json=body, headers=AS_USER)
        assert refused.status_code == 403, (method, refused.text)
    seen = await api.get(f"/api/v1/movies/{movie_id}", headers=AS_USER)
    assert seen.status_code == 200 and seen.json()["title"] == "Neo Story"


async def test_edited_fields_are_locked_and_survive_refresh(
    clean_runtime: Runtime,
    api: httpx.AsyncClient,  # noqa: F811
    movie: Made,
) -> None:
    _, movie_id = movie
    url = f"/api/v1/movies/{movie_id}/metadata"
    edited = await api.patch(
        url, json={"title": "Neo Story: Director's Cut", "genres": ["Drama"]}, headers=AS_ADMIN
    )
    assert edited.status_code == 200, edited.text
    assert sorted(edited.json()["locked_fields"]) == ["genres", "title"]
    await api.post(
        f"/api/v1/movies/{movie_id}/identify",
        json={"provider": "tmdb", "id": "603"},
        headers=AS_ADMIN,
    )
    await refresh(clean_runtime, movie_id)
    detail = (await api.get(f"/api/v1/movies/{movie_id}", headers=AS_ADMIN)).json()
    assert detail["title"] == "Neo Story: Director's Cut"  # locked: kept over TMDb's
    assert detail["genres"] == ["Drama"]
    assert detail["overview"].startswith(MATRIX_OVERVIEW)  # not edited: TMDb's
    assert (await api.patch(url, json={"title": None}, headers=AS_ADMIN)).status_code == 422
    assert (await api.patch(url, json={"year": 1200}, headers=AS_ADMIN)).status_code == 422
    unlocked = await api.patch(url, json={"unlock": ["title"]}, headers=AS_ADMIN)
    assert unlocked.json()["locked_fields"] == ["genres"]
    await refresh(clean_runtime, movie_id)
    assert (await api.get(f"/api/v1/movies/{movie_id}", headers=AS_ADMIN)).json()[
        "title"
    ] == "The Matrix"


async def test_downloaded_poster_is_linked_and_shown_with_its_blurhash(
    clean_runtime: Runtime,
    api: httpx.AsyncClient,  # noqa: F811
    tmdb: FakeApi,
    movie: Made,
) -> None:
    _, movie_id = movie
    chosen = await api.post(
        f"/api/v1/movies/{movie_id}/identify",
        json={"provider": "tmdb", "id": "603"},
        headers=AS_ADMIN,
    )
    assert chosen.status_code == 200
    queued_now = queued(clean_runtime, DOWNLOAD)
    # The cast's photos are queued too, each for its person.
    photos = [p for p in queued_now if p["target"]["kind"] == "photo"]
    assert photos and all(p["target"]["item_id"].startswith("person:") for p in photos)
    payloads = [p for p in queued_now if p["target"]["kind"] != "photo"]
    kinds = {p["target"]["kind"]: p for p in payloads}
    assert {"poster", "backdrop"} <= set(kinds)
    assert all(p["target"]["item_id"] == f"movie:{movie_id}" for p in payloads)
    sizes = {"poster": (40, 60), "backdrop": (96, 54)}
    for kind, payload in kinds.items():
        size = sizes.get(kind, (20, 20))
        image = encoded("JPEG", size, (30, 60 + len(kind) * 10, 200))
        path = urlsplit(payload["url"]).path
        tmdb.on("GET", path, Reply(body=image, headers={"Content-Type": "image/jpeg"}))
    for payload in payloads:
        await download(job_ctx(clean_runtime, DOWNLOAD), payload)

    detail = (await api.get(f"/api/v1/movies/{movie_id}", headers=AS_ADMIN)).json()
    images = {i["kind"]: i for i in detail["images"]}
    assert (images["poster"]["width"], images["poster"]["height"]) == (40, 60)
    assert (images["backdrop"]["width"], images["backdrop"]["height"]) == (96, 54)
    assert images["poster"]["blurhash"] and images["poster"]["id"] != images["backdrop"]["id"]
    served = await api.get(f"/api/v1/images/{images['poster']['id']}", headers=AS_ADMIN)
    assert served.status_code == 200 and served.headers["content-type"].startswith("image/")
