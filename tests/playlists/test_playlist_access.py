"""Playlist access: owners write, public is readable, private is a 404, no hidden items."""

from __future__ import annotations

import httpx

from revenge.testing.auth import USER
from tests.playlists.conftest import AS_ADMIN, AS_OTHER, AS_USER, Catalogue

URL = "/api/v1/playlists"


async def _playlist(api: httpx.AsyncClient, public: bool, catalogue: Catalogue) -> str:
    r = await api.post(
        URL, json={"kind": "video", "name": "P", "is_public": public}, headers=AS_USER
    )
    pid: str = r.json()["id"]
    await api.post(
        f"{URL}/video/{pid}/items",
        json={"items": [{"type": "movie", "id": str(catalogue.movies[0])}]}, headers=AS_USER,
    )  # fmt: skip
    return pid


async def test_owner_in_body_is_ignored(api: httpx.AsyncClient, catalogue: Catalogue) -> None:
    body = {"kind": "video", "name": "X", "user_id": "00000000-0000-0000-0000-000000000003",
            "owner_id": "00000000-0000-0000-0000-000000000003"}  # fmt: skip
    r = await api.post(URL, json=body, headers=AS_USER)
    assert r.status_code == 201
    assert r.json()["owner_id"] == str(USER.user_id)
    assert (await api.get(f"{URL}/video", headers=AS_OTHER)).json() == []


async def test_private_playlist_of_another_user_is_404(
    api: httpx.AsyncClient, catalogue: Catalogue
) -> None:
    pid = await _playlist(api, False, catalogue)
    url = f"{URL}/video/{pid}"
    for headers in (AS_OTHER, AS_ADMIN):
        assert (await api.get(url, headers=headers)).status_code == 404
        assert (await api.patch(url, json={"name": "x"}, headers=headers)).status_code == 404
        assert (await api.delete(url, headers=headers)).status_code == 404
        add = await api.post(
            f"{url}/items", json={"items": [{"type": "movie", "id": str(catalogue.movies[1])}]},
            headers=headers,
        )  # fmt: skip
        assert add.status_code == 404
    listed = await api.get(f"{URL}/video", params={"include_public": True}, headers=AS_OTHER)
    assert listed.json() == []
    wrong_kind = await api.get(f"{URL}/audio/{pid}", headers=AS_USER)
    assert wrong_kind.status_code == 404


async def test_public_playlist_readable_not_writable(
    api: httpx.AsyncClient, catalogue: Catalogue
) -> None:
    pid = await _playlist(api, True, catalogue)
    url = f"{URL}/video/{pid}"
    r = await api.get(url, headers=AS_OTHER)
    assert r.status_code == 200
    assert [i["title"] for i in r.json()["items"]] == ["Alien"]
    listed = await api.get(f"{URL}/video", params={"include_public": True}, headers=AS_OTHER)
    assert [p["id"] for p in listed.json()] == [pid]
    assert (await api.get(f"{URL}/video", headers=AS_OTHER)).json() == []
    assert (await api.patch(url, json={"name": "mine"}, headers=AS_OTHER)).status_code == 403
    assert (await api.delete(url, headers=AS_OTHER)).status_code == 403
    entry = r.json()["items"][0]["entry_id"]
    assert (await api.delete(f"{url}/items/{entry}", headers=AS_OTHER)).status_code == 403
    move = await api.post(f"{url}/items/{entry}/move", json={"after": None}, headers=AS_OTHER)
    assert move.status_code == 403
    private = await api.patch(url, json={"is_public": False}, headers=AS_USER)
    assert private.json()["is_public"] is False
    assert (await api.get(url, headers=AS_OTHER)).status_code == 404


async def test_items_of_unseen_libraries_cannot_be_added(
    api: httpx.AsyncClient, catalogue: Catalogue
) -> None:
    r = await api.post(URL, json={"kind": "video", "name": "P"}, headers=AS_USER)
    url = f"{URL}/video/{r.json()['id']}/items"
    hidden = {"type": "movie", "id": str(catalogue.hidden_movie)}
    ok = {"type": "movie", "id": str(catalogue.movies[0])}
    refused = await api.post(url, json={"items": [ok, hidden]}, headers=AS_USER)
    assert refused.status_code == 404
    assert str(catalogue.hidden_movie) in refused.json()["detail"]
    detail = await api.get(url.removesuffix("/items"), headers=AS_USER)
    assert detail.json()["items"] == []


async def test_public_playlist_hides_items_reader_cannot_see(
    api: httpx.AsyncClient, catalogue: Catalogue
) -> None:
    r = await api.post(
        URL, json={"kind": "video", "name": "Admin's", "is_public": True}, headers=AS_ADMIN
    )
    url = f"{URL}/video/{r.json()['id']}"
    items = [{"type": "movie", "id": str(catalogue.hidden_movie)},
             {"type": "movie", "id": str(catalogue.movies[0])}]  # fmt: skip
    added = await api.post(f"{url}/items", json={"items": items}, headers=AS_ADMIN)
    assert [i["title"] for i in added.json()["items"]] == ["Secret Film", "Alien"]
    seen = (await api.get(url, headers=AS_USER)).json()
    assert [i["title"] for i in seen["items"]] == ["Alien"]
    assert seen["item_count"] == 1


async def test_anonymous_is_401(api: httpx.AsyncClient) -> None:
    assert (await api.get(f"{URL}/video")).status_code == 401
    assert (await api.post(URL, json={"kind": "video", "name": "x"})).status_code == 401
