"""Collections: admins manage them, users read those of libraries they see; automatic ones."""

from __future__ import annotations

import httpx

from revenge.collections.service import add_member, ensure_collection
from revenge.runtime import Runtime
from revenge.testing.seed import add_library, add_movie, execute
from tests.playlists.conftest import AS_ADMIN, AS_OTHER, AS_USER, Catalogue

URL = "/api/v1/collections"


async def _make(api: httpx.AsyncClient, library: object, kind: str = "video") -> str:
    r = await api.post(
        f"{URL}/{kind}", json={"library_id": str(library), "name": "Heists"}, headers=AS_ADMIN
    )
    assert r.status_code == 201, r.text
    cid: str = r.json()["id"]
    return cid


async def test_admin_manages_members_order_and_artwork(
    api: httpx.AsyncClient, catalogue: Catalogue
) -> None:
    cid = await _make(api, catalogue.shared)
    url = f"{URL}/video/{cid}"
    items = [{"type": "movie", "id": str(m)} for m in catalogue.movies[:3]]
    items.append({"type": "episode", "id": str(catalogue.episode)})
    r = await api.post(f"{url}/items", json={"items": items}, headers=AS_ADMIN)
    assert [i["title"] for i in r.json()["items"]] == ["Alien", "Brazil", "Casino", "Pilot"]
    move = await api.post(
        f"{url}/items/episode/{catalogue.episode}/move", json={"after": None}, headers=AS_ADMIN
    )
    assert move.status_code == 204
    after_alien = {"after": {"type": "movie", "id": str(catalogue.movies[0])}}
    await api.post(f"{url}/items/movie/{catalogue.movies[2]}/move", json=after_alien,
                   headers=AS_ADMIN)  # fmt: skip
    titles = [i["title"] for i in (await api.get(url, headers=AS_USER)).json()["items"]]
    assert titles == ["Pilot", "Alien", "Casino", "Brazil"]
    image = "11111111-2222-3333-4444-555555555555"
    patched = await api.patch(url, json={"name": "Crime", "image_id": image}, headers=AS_ADMIN)
    assert (patched.json()["name"], patched.json()["image_id"]) == ("Crime", image)
    removed = await api.delete(f"{url}/items/movie/{catalogue.movies[0]}", headers=AS_ADMIN)
    assert removed.status_code == 204
    assert len((await api.get(url, headers=AS_USER)).json()["items"]) == 3
    assert (await api.delete(url, headers=AS_ADMIN)).status_code == 204
    assert (await api.get(url, headers=AS_ADMIN)).status_code == 404


async def test_users_cannot_manage(api: httpx.AsyncClient, catalogue: Catalogue) -> None:
    cid = await _make(api, catalogue.shared)
    url = f"{URL}/video/{cid}"
    body = {"library_id": str(catalogue.shared), "name": "Mine"}
    assert (await api.post(f"{URL}/video", json=body, headers=AS_USER)).status_code == 403
    assert (await api.patch(url, json={"name": "x"}, headers=AS_USER)).status_code == 403
    assert (await api.delete(url, headers=AS_USER)).status_code == 403
    items = {"items": [{"type": "movie", "id": str(catalogue.movies[0])}]}
    assert (await api.post(f"{url}/items", json=items, headers=AS_USER)).status_code == 403


async def test_collections_of_unseen_libraries_are_hidden(
    api: httpx.AsyncClient, catalogue: Catalogue
) -> None:
    hidden = await _make(api, catalogue.private)
    shown = await _make(api, catalogue.shared)
    listed = (await api.get(f"{URL}/video", headers=AS_OTHER)).json()
    assert [c["id"] for c in listed] == [shown]
    assert (await api.get(f"{URL}/video/{hidden}", headers=AS_USER)).status_code == 404
    everything = (await api.get(f"{URL}/video", headers=AS_ADMIN)).json()
    assert {c["id"] for c in everything} == {hidden, shown}


async def test_members_must_be_of_the_collection_library(
    api: httpx.AsyncClient, catalogue: Catalogue
) -> None:
    cid = await _make(api, catalogue.shared)
    url = f"{URL}/video/{cid}/items"
    other = {"items": [{"type": "movie", "id": str(catalogue.hidden_movie)}]}
    assert (await api.post(url, json=other, headers=AS_ADMIN)).status_code == 404
    wrong = {"items": [{"type": "track", "id": str(catalogue.track)}]}
    assert (await api.post(url, json=wrong, headers=AS_ADMIN)).status_code == 422
    audio = await _make(api, catalogue.shared, kind="audio")
    tracks = {"items": [{"type": "track", "id": str(catalogue.track)},
                        {"type": "audiobook", "id": str(catalogue.audiobook)}]}  # fmt: skip
    r = await api.post(f"{URL}/audio/{audio}/items", json=tracks, headers=AS_ADMIN)
    assert [i["title"] for i in r.json()["items"]] == ["Yesterday", "Dracula"]


async def test_automatic_collection_from_provider_data(
    api: httpx.AsyncClient, clean_runtime: Runtime
) -> None:
    library = await add_library(clean_runtime, "movie")
    first = await add_movie(clean_runtime, library, "The Matrix")
    second = await add_movie(clean_runtime, library, "The Matrix Reloaded")
    async with clean_runtime.db.transaction() as session:
        cid = await ensure_collection(session, library, "tmdb", "2344", "The Matrix Collection")
        again = await ensure_collection(session, library, "tmdb", "2344", "ignored")
        assert cid == again
        assert await add_member(session, cid, "movie", first)
        assert await add_member(session, cid, "movie", second)
        assert not await add_member(session, cid, "movie", first)
    r = (await api.get(f"{URL}/video/{cid}", headers=AS_ADMIN)).json()
    assert (r["name"], r["source"], r["external_id"]) == ("The Matrix Collection", "tmdb", "2344")
    assert [i["title"] for i in r["items"]] == ["The Matrix", "The Matrix Reloaded"]


async def test_collections_hold_whole_series_and_albums(
    api: httpx.AsyncClient, catalogue: Catalogue, clean_runtime: Runtime
) -> None:
    (series,) = await execute(clean_runtime, "SELECT id FROM series")
    (album,) = await execute(clean_runtime, "SELECT id FROM albums")
    video = await _make(api, catalogue.shared)
    items = [
        {"type": "series", "id": str(series["id"])},
        {"type": "movie", "id": str(catalogue.movies[0])},
    ]
    r = await api.post(f"{URL}/video/{video}/items", json={"items": items}, headers=AS_ADMIN)
    assert r.status_code == 200, r.text
    assert [(i["type"], i["title"]) for i in r.json()["items"]] == [
        ("series", "Lost"),
        ("movie", "Alien"),
    ]
    audio = await _make(api, catalogue.shared, "audio")
    r = await api.post(
        f"{URL}/audio/{audio}/items",
        json={"items": [{"type": "album", "id": str(album["id"])}]},
        headers=AS_ADMIN,
    )
    assert r.status_code == 200, r.text
    assert [(i["type"], i["title"]) for i in r.json()["items"]] == [("album", "Album")]
    # Each kind stays in its own collections.
    wrong = await api.post(
        f"{URL}/video/{video}/items",
        json={"items": [{"type": "album", "id": str(album["id"])}]},
        headers=AS_ADMIN,
    )
    assert wrong.status_code == 422
    moved = await api.post(
        f"{URL}/video/{video}/items/series/{series['id']}/move",
        json={"after": {"type": "movie", "id": str(catalogue.movies[0])}},
        headers=AS_ADMIN,
    )
    assert moved.status_code == 204
    listed = (await api.get(f"{URL}/video/{video}", headers=AS_USER)).json()["items"]
    assert [i["type"] for i in listed] == ["movie", "series"]
