"""Scanning audiobook and podcast libraries."""

from __future__ import annotations

import os
from pathlib import Path

import httpx

from revenge.runtime import Runtime
from tests.libraries.conftest import AS_ADMIN, LibraryMaker, Scanner
from tests.libraries.helpers import age_missing, files_by_name, run_cleanup
from tests.support.media import make_audio


async def test_audiobooks_chapters_people_and_series(
    api: httpx.AsyncClient, make_library: LibraryMaker, scan: Scanner, tmp_path: Path
) -> None:
    root = tmp_path / "books"
    folder = (
        root / "Terry Pratchett" / "Discworld" / "Vol 2 - 1986 - The Light Fantastic {Nigel Planer}"
    )
    for n in (2, 1, 3):
        make_audio(folder / "CD1" / f"0{n} - Part {n}.mp3", seconds=1.0)
    make_audio(
        root / "Dune.m4b",
        seconds=3.0,
        tags={"title": "Dune", "album": "Dune", "artist": "Frank Herbert",
              "composer": "Scott Brick, Simon Vance"},
        chapters=[("Book One", 0.0, 1.0), ("Book Two", 1.0, 2.0), ("Book Three", 2.0, 3.0)],
    )  # fmt: skip
    (root / "Empty Book.m4b").touch()
    library = await make_library("audiobook", root)
    state = await scan(library)
    assert state.failed == 1
    books = (await api.get("/api/v1/audiobooks", headers=AS_ADMIN)).json()["items"]
    assert [b["title"] for b in books] == ["Dune", "Empty Book", "The Light Fantastic"]
    dune = (await api.get(f"/api/v1/audiobooks/{books[0]['id']}", headers=AS_ADMIN)).json()
    assert dune["authors"] == ["Frank Herbert"]
    assert dune["narrators"] == ["Scott Brick", "Simon Vance"]
    assert [(c["title"], c["start_seconds"]) for c in dune["chapters"]] == [
        ("Book One", 0.0), ("Book Two", 1.0), ("Book Three", 2.0),
    ]  # fmt: skip
    light = (await api.get(f"/api/v1/audiobooks/{books[2]['id']}", headers=AS_ADMIN)).json()
    assert (light["series_name"], light["series_position"], light["year"]) == (
        "Discworld", 2.0, 1986,
    )  # fmt: skip
    assert light["authors"] == ["Terry Pratchett"] and light["narrators"] == ["Nigel Planer"]
    assert [c["title"] for c in light["chapters"]] == ["Part 1", "Part 2", "Part 3"]
    assert light["duration_seconds"] > 3.0
    assert len(light["files"]) == 3


async def test_audiobook_chapter_files_come_and_go(
    api: httpx.AsyncClient, make_library: LibraryMaker, scan: Scanner, clean_runtime: Runtime,
    tmp_path: Path,
) -> None:  # fmt: skip
    root = tmp_path / "books"
    book = root / "Author" / "Book"
    for n in (1, 2):
        make_audio(book / f"0{n}.mp3", seconds=0.5 + n / 10)
    library = await make_library("audiobook", root)
    await scan(library)
    book_id = (await files_by_name(clean_runtime))["01.mp3"]["item_id"]
    await api.patch(
        f"/api/v1/items/audiobook/{book_id}/state", json={"position_seconds": 12}, headers=AS_ADMIN
    )
    os.remove(book / "02.mp3")
    make_audio(book / "03.mp3", seconds=0.9)
    await scan(library)
    detail = (await api.get(f"/api/v1/audiobooks/{book_id}", headers=AS_ADMIN)).json()
    assert [c["title"] for c in detail["chapters"]] == ["01", "03"]
    await age_missing(clean_runtime, 100)
    await run_cleanup(clean_runtime)
    detail = (await api.get(f"/api/v1/audiobooks/{book_id}", headers=AS_ADMIN)).json()
    assert [f["name"] for f in detail["files"]] == ["01.mp3", "03.mp3"]
    assert detail["user_state"]["position_seconds"] == 12


async def test_podcasts_episodes_by_folder_date_and_number(
    api: httpx.AsyncClient, make_library: LibraryMaker, scan: Scanner, tmp_path: Path
) -> None:
    root = tmp_path / "podcasts"
    show = root / "Tech Talk"
    make_audio(show / "2024-03-01 - 042 - Rust in Production.mp3")
    make_audio(show / "2024-02-01 - 041 - Python Typing.mp3")
    make_audio(show / "bonus.mp3", tags={"title": "Bonus Chat", "date": "2024-03-15"})
    make_audio(root / "History" / "Ep 7 The Romans.flac")
    library = await make_library("podcast", root)
    await scan(library)
    podcasts = (await api.get("/api/v1/podcasts", headers=AS_ADMIN)).json()["items"]
    assert [(p["title"], p["episode_count"]) for p in podcasts] == [
        ("History", 1), ("Tech Talk", 3),
    ]  # fmt: skip
    episodes = (
        await api.get(f"/api/v1/podcasts/{podcasts[1]['id']}/episodes", headers=AS_ADMIN)
    ).json()["items"]
    assert [(e["title"], e["episode_number"], e["published_on"]) for e in episodes] == [
        ("Bonus Chat", None, "2024-03-15"),
        ("Rust in Production", 42, "2024-03-01"),
        ("Python Typing", 41, "2024-02-01"),
    ]
    history = (
        await api.get(f"/api/v1/podcasts/{podcasts[0]['id']}/episodes", headers=AS_ADMIN)
    ).json()["items"]
    assert (history[0]["title"], history[0]["episode_number"]) == ("The Romans", 7)
    one = (await api.get(f"/api/v1/podcasts/episodes/{history[0]['id']}", headers=AS_ADMIN)).json()
    assert one["files"][0]["duration_seconds"] > 0.5
