"""API the web app needed: the folder picker behind "add a library", and a page of covers."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx

from revenge.config import Settings
from revenge.images import repository as images
from revenge.images.processing import ImageFacts
from revenge.runtime import Runtime

PASSWORD = "correct horse battery"


async def _token(client: httpx.AsyncClient, role: str = "admin") -> str:
    setup = await client.post("/api/v1/setup", json={"username": "ada", "password": PASSWORD})
    assert setup.status_code == 201
    login = await client.post("/api/v1/auth/login", json={"username": "ada", "password": PASSWORD})
    admin = str(login.json()["access_token"])
    if role == "admin":
        return admin
    made = await client.post(
        "/api/v1/users",
        json={"username": "bob", "password": PASSWORD},
        headers={"Authorization": f"Bearer {admin}"},
    )
    assert made.status_code == 201, made.text
    login = await client.post("/api/v1/auth/login", json={"username": "bob", "password": PASSWORD})
    return str(login.json()["access_token"])


async def test_the_folder_picker_lists_sub_folders_an_admin_may_use(
    client: httpx.AsyncClient, tmp_path: Path, settings: Settings
) -> None:
    headers = {"Authorization": f"Bearer {await _token(client)}"}
    for name in ("Movies", "music", ".hidden"):
        (tmp_path / name).mkdir()
    (tmp_path / "notes.txt").write_text("not a folder")
    params = {"path": str(tmp_path)}
    resp = await client.get("/api/v1/admin/folders", params=params, headers=headers)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["path"] == str(tmp_path.resolve())
    assert body["parent"] == str(tmp_path.resolve().parent)
    assert [(f["name"], f["usable"]) for f in body["folders"]] == [
        ("Movies", True),
        ("music", True),
    ]
    root = (await client.get("/api/v1/admin/folders", headers=headers)).json()
    names = {f["name"] for f in root["folders"]}
    assert root["parent"] is None and not names & {"proc", "sys", "etc", "bin", "root"}
    refusals = {"/proc": 403, "/etc/ssl": 403, "/srv/../etc": 403, str(settings.data_dir): 403}
    refusals |= {"relative/path": 422, "/nope/missing": 404}
    for bad, status in refusals.items():
        refused = await client.get("/api/v1/admin/folders", params={"path": bad}, headers=headers)
        assert refused.status_code == status, (bad, refused.text)
        assert refused.headers["content-type"].startswith("application/problem+json")


async def test_the_folder_picker_is_for_administrators_only(
    client: httpx.AsyncClient, tmp_path: Path
) -> None:
    assert (await client.get("/api/v1/admin/folders")).status_code == 401
    user = {"Authorization": f"Bearer {await _token(client, role='user')}"}
    resp = await client.get("/api/v1/admin/folders", params={"path": str(tmp_path)}, headers=user)
    assert resp.status_code == 403


async def test_covers_of_a_page_of_items_come_in_one_call(
    client: httpx.AsyncClient, clean_runtime: Runtime
) -> None:
    headers = {"Authorization": f"Bearer {await _token(client)}"}
    movie, album, bare = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    async with clean_runtime.db.transaction() as session:
        for n, (item_kind, item_id, kinds) in enumerate(
            (("movie", movie, ("backdrop", "poster")), ("album", album, ("cover",)))
        ):
            for m, kind in enumerate(kinds):
                blurhash = f"LEHV6nWB2y{n}{m}"
                facts = ImageFacts(f"{n}{m}" * 16, "jpeg", 200, 300, 1000, blurhash, "#123")
                image_id = await images.upsert_image(session, facts)
                await images.link_item_image(session, item_kind, item_id, kind, image_id)
    resp = await client.get(
        "/api/v1/images/covers", params={"items": f"{movie},{album},{bare}"}, headers=headers
    )
    assert resp.status_code == 200, resp.text
    found = resp.json()
    assert set(found) == {str(movie), str(album)}  # no artwork, no entry
    assert found[str(movie)]["kind"] == "poster"  # the poster, not the backdrop
    assert found[str(album)]["blurhash"] == "LEHV6nWB2y10"
    too_many = ",".join(str(uuid.uuid4()) for _ in range(201))
    for bad in ("not-a-uuid", too_many):
        refused = await client.get("/api/v1/images/covers", params={"items": bad}, headers=headers)
        assert refused.status_code == 422
    assert (await client.get("/api/v1/images/covers")).status_code == 401
