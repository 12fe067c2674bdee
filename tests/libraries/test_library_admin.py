"""Library administration: folders are validated, deletion keeps files, access is enforced."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from revenge.libraries import folders
from revenge.libraries.repository import database_data_dir
from revenge.runtime import Runtime
from revenge.testing.auth import USER
from tests.libraries.conftest import AS_ADMIN, AS_USER, LibraryMaker, Scanner
from tests.support.media import make_video


async def _create(api: httpx.AsyncClient, paths: list[str], kind: str = "movie") -> httpx.Response:
    return await api.post(
        "/api/v1/libraries",
        json={"name": f"lib {len(paths)} {paths[0][-12:]}", "type": kind, "paths": paths},
        headers=AS_ADMIN,
    )


async def test_create_list_update_delete(api: httpx.AsyncClient, tmp_path: Path) -> None:
    (tmp_path / "films").mkdir()
    created = await _create(api, [str(tmp_path / "films")])
    assert created.status_code == 201, created.text
    library = created.json()
    assert library["paths"] == [str((tmp_path / "films").resolve())]
    listed = (await api.get("/api/v1/libraries", headers=AS_ADMIN)).json()
    assert [lib["id"] for lib in listed] == [library["id"]]
    (tmp_path / "more").mkdir()
    patched = await api.patch(
        f"/api/v1/libraries/{library['id']}",
        json={"name": "Films", "paths": [str(tmp_path / "films"), str(tmp_path / "more")]},
        headers=AS_ADMIN,
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["name"] == "Films" and len(patched.json()["paths"]) == 2
    gone = await api.delete(f"/api/v1/libraries/{library['id']}", headers=AS_ADMIN)
    assert gone.status_code == 204
    assert (
        await api.get(f"/api/v1/libraries/{library['id']}", headers=AS_ADMIN)
    ).status_code == 404


async def test_folder_refusals_name_the_reason(
    api: httpx.AsyncClient, tmp_path: Path, clean_runtime: Runtime
) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o000)
    cases = {
        str(tmp_path / "nope"): "does not exist",
        "relative/path": "absolute",
        f"{tmp_path}/a/../a": "'..'",
        "/": "system folder",
        "/etc": "system folder",
        "/proc/self": "system folder",
        str(clean_runtime.settings.data_dir): "data directory",
        str(clean_runtime.settings.data_dir.parent): "data directory",
    }
    if os.geteuid() != 0:  # root reads any folder
        cases[str(locked)] = "not readable"
    for path, reason in cases.items():
        response = await _create(api, [path])
        assert response.status_code == 400, (path, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert reason in response.json()["detail"], (path, response.json())
    file_path = tmp_path / "file.txt"
    file_path.write_text("x")
    assert "not a folder" in (await _create(api, [str(file_path)])).json()["detail"]


async def test_overlapping_folders_are_refused(api: httpx.AsyncClient, tmp_path: Path) -> None:
    (tmp_path / "media" / "films").mkdir(parents=True)
    first = await _create(api, [str(tmp_path / "media")])
    assert first.status_code == 201
    inner = await _create(api, [str(tmp_path / "media" / "films")], kind="tv")
    assert inner.status_code == 400 and "overlaps" in inner.json()["detail"]
    (tmp_path / "x" / "y").mkdir(parents=True)
    both = await _create(api, [str(tmp_path / "x"), str(tmp_path / "x" / "y")])
    assert both.status_code == 400 and "overlap" in both.json()["detail"]


async def test_bad_bodies_and_duplicate_names(api: httpx.AsyncClient, tmp_path: Path) -> None:
    (tmp_path / "m").mkdir()
    bad_type = await api.post(
        "/api/v1/libraries",
        json={"name": "x", "type": "games", "paths": [str(tmp_path / "m")]},
        headers=AS_ADMIN,
    )
    assert bad_type.status_code == 422
    assert (await _create(api, [str(tmp_path / "m")])).status_code == 201
    (tmp_path / "n").mkdir()
    same_name = await api.post(
        "/api/v1/libraries",
        json={"name": f"LIB 1 {str(tmp_path / 'm')[-12:]}", "type": "tv",
              "paths": [str(tmp_path / "n")]},
        headers=AS_ADMIN,
    )  # fmt: skip
    assert same_name.status_code == 409


async def test_only_admins_change_libraries_and_users_see_granted_ones(
    api: httpx.AsyncClient, make_library: LibraryMaker, clean_runtime: Runtime, tmp_path: Path
) -> None:
    assert (await api.get("/api/v1/libraries")).status_code == 401
    (tmp_path / "u").mkdir()
    forbidden = await api.post(
        "/api/v1/libraries",
        json={"name": "u", "type": "movie", "paths": [str(tmp_path / "u")]},
        headers=AS_USER,
    )
    assert forbidden.status_code == 403
    shared = await make_library("movie", tmp_path / "shared")
    private = await make_library("movie", tmp_path / "private")
    assert (await api.get("/api/v1/libraries", headers=AS_USER)).json() == []
    async with clean_runtime.db.transaction() as session:
        conn = await session.connection()
        await conn.exec_driver_sql(
            "INSERT INTO library_access (library_id, user_id) VALUES (%(l)s, %(u)s)",
            {"l": shared["id"], "u": USER.user_id},
        )
    seen = (await api.get("/api/v1/libraries", headers=AS_USER)).json()
    assert [lib["id"] for lib in seen] == [shared["id"]]
    assert seen[0]["paths"] == []
    hidden = await api.get(f"/api/v1/libraries/{private['id']}", headers=AS_USER)
    assert hidden.status_code == 404


async def test_deleting_a_library_removes_its_catalogue_not_its_files(
    api: httpx.AsyncClient, make_library: LibraryMaker, scan: Scanner, tmp_path: Path
) -> None:
    film = make_video(tmp_path / "films" / "Heat (1995)" / "Heat (1995).mkv")
    library = await make_library("movie", tmp_path / "films")
    await scan(library)
    movies = (await api.get("/api/v1/movies", headers=AS_ADMIN)).json()
    assert movies["total"] == 1
    assert (
        await api.delete(f"/api/v1/libraries/{library['id']}", headers=AS_ADMIN)
    ).status_code == 204
    assert (await api.get("/api/v1/movies", headers=AS_ADMIN)).json()["total"] == 0
    assert film.exists()


async def test_system_trees_homes_and_the_database_are_refused(
    api: httpx.AsyncClient, tmp_path: Path, clean_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = {
        "/var/lib": "system folder",
        "/var/log": "system folder",
        "/boot": "system folder",
    }
    if os.geteuid() == 0:  # only root can read /root and hand a folder to another account
        cases["/root"] = "system folder"
        homes = tmp_path / "home"
        (homes / "someone" / "Videos").mkdir(parents=True)
        os.chown(homes / "someone", 65534, 65534)
        (homes / "me" / "Videos").mkdir(parents=True)
        monkeypatch.setattr(folders, "HOMES", homes)
        cases[str(homes / "someone" / "Videos")] = "another user's home"
    async with clean_runtime.db.transaction() as session:
        pg_data = await database_data_dir(session)
    if pg_data is not None and os.path.isdir(pg_data):  # PostgreSQL runs on this machine
        cases[pg_data] = "database's data directory"
    for path, reason in cases.items():
        if not os.path.isdir(path):
            continue
        response = await _create(api, [path])
        assert response.status_code == 400, (path, response.text)
        assert reason in response.json()["detail"], (path, response.json())
    # The server's own account's folders, and temporary folders, stay usable.
    if os.geteuid() == 0:
        assert (await _create(api, [str(tmp_path / "home" / "me" / "Videos")])).status_code == 201
    (tmp_path / "films").mkdir()
    assert (await _create(api, [str(tmp_path / "films")])).status_code == 201
