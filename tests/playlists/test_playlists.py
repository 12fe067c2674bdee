"""Playlists: create, rename, describe, add, remove, reorder; video and audio item types."""

from __future__ import annotations

import httpx

from revenge.runtime import Runtime
from revenge.testing.auth import USER
from revenge.testing.seed import execute
from tests.playlists.conftest import AS_USER, Catalogue

URL = "/api/v1/playlists"


async def _make(api: httpx.AsyncClient, kind: str = "video", **extra: object) -> dict[str, object]:
    r = await api.post(URL, json={"kind": kind, "name": "Mine", **extra}, headers=AS_USER)
    assert r.status_code == 201, r.text
    body: dict[str, object] = r.json()
    return body


async def test_create_rename_describe_and_list(
    api: httpx.AsyncClient, catalogue: Catalogue
) -> None:
    made = await _make(api, description="Weekend")
    assert (made["owner_id"], made["is_public"], made["item_count"]) == (
        str(USER.user_id),
        False,
        0,
    )
    url = f"{URL}/video/{made['id']}"
    r = await api.patch(url, json={"name": "Renamed", "description": None}, headers=AS_USER)
    assert (r.json()["name"], r.json()["description"]) == ("Renamed", None)
    bad = await api.patch(url, json={"name": ""}, headers=AS_USER)
    assert bad.status_code == 422
    listed = (await api.get(f"{URL}/video", headers=AS_USER)).json()
    assert [p["name"] for p in listed] == ["Renamed"]
    assert (await api.get(f"{URL}/audio", headers=AS_USER)).json() == []
    gone = await api.delete(url, headers=AS_USER)
    assert gone.status_code == 204
    assert (await api.get(url, headers=AS_USER)).status_code == 404


async def test_add_items_in_order_and_remove(api: httpx.AsyncClient, catalogue: Catalogue) -> None:
    made = await _make(api)
    url = f"{URL}/video/{made['id']}"
    items = [{"type": "movie", "id": str(m)} for m in catalogue.movies[:3]]
    items.append({"type": "episode", "id": str(catalogue.episode)})
    r = await api.post(f"{url}/items", json={"items": items}, headers=AS_USER)
    assert r.status_code == 200, r.text
    assert [i["title"] for i in r.json()["items"]] == ["Alien", "Brazil", "Casino", "Pilot"]
    assert r.json()["items"][3]["subtitle"] == "Lost"
    brazil = r.json()["items"][1]["entry_id"]
    assert (await api.delete(f"{url}/items/{brazil}", headers=AS_USER)).status_code == 204
    after = (await api.get(url, headers=AS_USER)).json()
    assert [i["title"] for i in after["items"]] == ["Alien", "Casino", "Pilot"]
    assert after["item_count"] == 3
    again = await api.delete(f"{url}/items/{brazil}", headers=AS_USER)
    assert again.status_code == 404


async def test_wrong_item_type_for_kind_is_422(
    api: httpx.AsyncClient, catalogue: Catalogue
) -> None:
    video = await _make(api)
    r = await api.post(
        f"{URL}/video/{video['id']}/items",
        json={"items": [{"type": "track", "id": str(catalogue.track)}]}, headers=AS_USER,
    )  # fmt: skip
    assert r.status_code == 422
    unknown = await api.post(
        f"{URL}/video/{video['id']}/items", json={"items": [{"type": "song", "id": "x"}]},
        headers=AS_USER,
    )  # fmt: skip
    assert unknown.status_code == 422


async def test_audio_playlist_holds_tracks_books_chapters_podcasts(
    api: httpx.AsyncClient, catalogue: Catalogue
) -> None:
    audio = await _make(api, kind="audio")
    url = f"{URL}/audio/{audio['id']}"
    items = [
        {"type": "track", "id": str(catalogue.track)},
        {"type": "audiobook_chapter", "id": str(catalogue.audiobook), "chapter": 2},
        {"type": "audiobook", "id": str(catalogue.audiobook)},
        {"type": "podcast_episode", "id": str(catalogue.podcast_episode)},
    ]
    r = await api.post(f"{url}/items", json={"items": items}, headers=AS_USER)
    assert r.status_code == 200, r.text
    got = [(i["type"], i["title"], i["subtitle"], i["chapter"]) for i in r.json()["items"]]
    assert got == [
        ("track", "Yesterday", "The Beatles", None),
        ("audiobook_chapter", "Two", "Dracula", 2),
        ("audiobook", "Dracula", None, None),
        ("podcast_episode", "Episode 1", "Radiolab", None),
    ]
    missing_chapter = {"type": "audiobook_chapter", "id": str(catalogue.audiobook), "chapter": 9}
    r = await api.post(f"{url}/items", json={"items": [missing_chapter]}, headers=AS_USER)
    assert r.status_code == 404


async def test_reorder_writes_one_row(
    api: httpx.AsyncClient, catalogue: Catalogue, clean_runtime: Runtime
) -> None:
    made = await _make(api)
    url = f"{URL}/video/{made['id']}"
    items = [{"type": "movie", "id": str(m)} for m in catalogue.movies]
    entries = (await api.post(f"{url}/items", json={"items": items}, headers=AS_USER)).json()
    ids = [i["entry_id"] for i in entries["items"]]
    before = {r["id"]: r["position"] for r in await execute(
        clean_runtime, "SELECT id::text, position FROM video_playlist_items")}  # fmt: skip
    r = await api.post(f"{url}/items/{ids[3]}/move", json={"after": ids[0]}, headers=AS_USER)
    assert r.status_code == 204
    after = {r["id"]: r["position"] for r in await execute(
        clean_runtime, "SELECT id::text, position FROM video_playlist_items")}  # fmt: skip
    assert [k for k in after if after[k] != before[k]] == [ids[3]]
    order = [i["title"] for i in (await api.get(url, headers=AS_USER)).json()["items"]]
    assert order == ["Alien", "Dune", "Brazil", "Casino"]
    await api.post(f"{url}/items/{ids[2]}/move", json={"after": None}, headers=AS_USER)
    order = [i["title"] for i in (await api.get(url, headers=AS_USER)).json()["items"]]
    assert order == ["Casino", "Alien", "Dune", "Brazil"]


async def test_many_moves_into_one_gap_keep_order(
    api: httpx.AsyncClient, catalogue: Catalogue
) -> None:
    """Halving one gap 60 times exhausts float precision; the list is renumbered once."""
    made = await _make(api)
    url = f"{URL}/video/{made['id']}"
    items = [{"type": "movie", "id": str(m)} for m in catalogue.movies[:3]]
    ids = [i["entry_id"] for i in (await api.post(
        f"{url}/items", json={"items": items}, headers=AS_USER)).json()["items"]]  # fmt: skip
    first, second, third = ids
    for i in range(60):
        moving = second if i % 2 == 0 else third
        await api.post(f"{url}/items/{moving}/move", json={"after": first}, headers=AS_USER)
    order = [i["entry_id"] for i in (await api.get(url, headers=AS_USER)).json()["items"]]
    assert order == [first, third, second]


async def test_move_after_unknown_entry_is_404(
    api: httpx.AsyncClient, catalogue: Catalogue
) -> None:
    made = await _make(api)
    url = f"{URL}/video/{made['id']}"
    items = [{"type": "movie", "id": str(catalogue.movies[0])}]
    entry = (await api.post(f"{url}/items", json={"items": items}, headers=AS_USER)).json()
    eid = entry["items"][0]["entry_id"]
    r = await api.post(f"{url}/items/{eid}/move", json={"after": made["id"]}, headers=AS_USER)
    assert r.status_code == 404


async def test_move_after_itself_keeps_the_order(
    api: httpx.AsyncClient, catalogue: Catalogue
) -> None:
    made = await _make(api)
    url = f"{URL}/video/{made['id']}"
    items = [{"type": "movie", "id": str(m)} for m in catalogue.movies[:3]]
    ids = [i["entry_id"] for i in (await api.post(
        f"{url}/items", json={"items": items}, headers=AS_USER)).json()["items"]]  # fmt: skip
    r = await api.post(f"{url}/items/{ids[1]}/move", json={"after": ids[1]}, headers=AS_USER)
    assert r.status_code == 204
    order = [i["entry_id"] for i in (await api.get(url, headers=AS_USER)).json()["items"]]
    assert order == ids
