"""Scanning TV and music libraries: numbering, specials, multi-episode, discs, compilations."""

from __future__ import annotations

import os
from pathlib import Path

import httpx

from revenge.runtime import Runtime
from tests.libraries.conftest import AS_ADMIN, LibraryMaker, Scanner
from tests.libraries.helpers import files_by_name
from tests.support.media import make_audio, make_video


async def test_tv_series_seasons_and_episode_numbering(
    api: httpx.AsyncClient, make_library: LibraryMaker, scan: Scanner, tmp_path: Path
) -> None:
    root = tmp_path / "tv"
    show = root / "The Office (2005)"
    make_video(show / "Season 01" / "The Office - S01E01 - Pilot.mkv")
    make_video(show / "Season 01" / "The Office - S01E02-E03 - Double.mkv")
    make_video(show / "Season 2" / "The.Office.S02E01.720p.mkv")
    make_video(show / "Specials" / "The Office - S00E01 - Webisode.mkv")
    make_video(show / "Extras" / "Bloopers.mkv")
    make_video(root / "Daily Show" / "Daily Show 2021-05-04.mkv")
    make_video(root / "Anime" / "Anime - 012.mkv")
    library = await make_library("tv", root)
    await scan(library)
    series = (await api.get("/api/v1/tv/series", headers=AS_ADMIN)).json()["items"]
    assert [(s["title"], s["year"]) for s in series] == [
        ("Anime", None), ("Daily Show", None), ("The Office", 2005),
    ]  # fmt: skip
    office = (await api.get(f"/api/v1/tv/series/{series[2]['id']}", headers=AS_ADMIN)).json()
    assert [(s["number"], s["episode_count"]) for s in office["seasons"]] == [
        (0, 1), (1, 2), (2, 1),
    ]  # fmt: skip
    assert [f["name"] for f in office["extras"]] == ["Bloopers.mkv"]
    season1 = office["seasons"][1]["id"]
    episodes = (await api.get(f"/api/v1/tv/seasons/{season1}/episodes", headers=AS_ADMIN)).json()
    assert [(e["number"], e["ending_number"], e["title"]) for e in episodes] == [
        (1, None, "Pilot"), (2, 3, "Double"),
    ]  # fmt: skip
    daily = (await api.get(f"/api/v1/tv/series/{series[1]['id']}", headers=AS_ADMIN)).json()
    dated = (
        await api.get(f"/api/v1/tv/seasons/{daily['seasons'][0]['id']}/episodes", headers=AS_ADMIN)
    ).json()
    assert dated[0]["air_date"] == "2021-05-04" and dated[0]["season_number"] == 2021
    anime = (await api.get(f"/api/v1/tv/series/{series[0]['id']}", headers=AS_ADMIN)).json()
    numbered = (
        await api.get(f"/api/v1/tv/seasons/{anime['seasons'][0]['id']}/episodes", headers=AS_ADMIN)
    ).json()
    assert (numbered[0]["absolute_number"], numbered[0]["number"]) == (12, 12)


async def test_tv_episode_moved_between_seasons_keeps_identity(
    api: httpx.AsyncClient, make_library: LibraryMaker, scan: Scanner, clean_runtime: Runtime,
    tmp_path: Path,
) -> None:  # fmt: skip
    root = tmp_path / "tv"
    show = root / "Show"
    make_video(show / "Season 1" / "Show - S01E05.mkv")
    library = await make_library("tv", root)
    await scan(library)
    before = (await files_by_name(clean_runtime))["Show - S01E05.mkv"]
    await api.patch(
        f"/api/v1/items/episode/{before['item_id']}/state", json={"played": True}, headers=AS_ADMIN
    )
    (show / "Season 01").mkdir()
    os.rename(show / "Season 1" / "Show - S01E05.mkv", show / "Season 01" / "Show S01E05.mkv")
    state = await scan(library)
    assert state.moved == 1
    after = (await files_by_name(clean_runtime))["Show S01E05.mkv"]
    assert after["item_id"] == before["item_id"]
    episode = (await api.get(f"/api/v1/tv/episodes/{after['item_id']}", headers=AS_ADMIN)).json()
    assert episode["user_state"]["played"] is True and episode["user_state"]["play_count"] == 1


async def test_music_albums_discs_and_compilations(
    api: httpx.AsyncClient, make_library: LibraryMaker, scan: Scanner, clean_runtime: Runtime,
    tmp_path: Path,
) -> None:  # fmt: skip
    root = tmp_path / "music"
    wall = root / "Pink Floyd" / "The Wall (1979)"
    make_audio(wall / "CD1" / "01 - In the Flesh.mp3")
    make_audio(wall / "CD2" / "01 - Hey You.flac")
    make_audio(
        root / "Various" / "Now 80s" / "track.m4a",
        tags={"title": "Holiday", "artist": "Madonna", "album": "Now 80s", "track": "2/20",
              "compilation": "1"},
    )  # fmt: skip
    make_audio(
        root / "Various" / "Now 80s" / "other.mp3",
        tags={"title": "Take On Me", "artist": "a-ha", "album": "Now 80s", "track": "1/20",
              "album_artist": "Various Artists", "date": "1985"},
    )  # fmt: skip
    (root / "Pink Floyd" / "The Wall (1979)" / "CD2" / "02 - Broken.mp3").write_bytes(b"junk")
    library = await make_library("music", root)
    state = await scan(library)
    assert state.failed == 1
    albums = (await api.get("/api/v1/music/albums", headers=AS_ADMIN)).json()["items"]
    assert [(a["title"], a["album_artist"], a["is_compilation"]) for a in albums] == [
        ("Now 80s", "Various Artists", True), ("The Wall", "Pink Floyd", False),
    ]  # fmt: skip
    now = (await api.get(f"/api/v1/music/albums/{albums[0]['id']}", headers=AS_ADMIN)).json()
    assert [(t["track_number"], t["title"], t["artist_name"]) for t in now["tracks"]] == [
        (1, "Take On Me", "a-ha"), (2, "Holiday", "Madonna"),
    ]  # fmt: skip
    assert now["tracks"][0]["duration_seconds"] > 0.5
    wall_album = (await api.get(f"/api/v1/music/albums/{albums[1]['id']}", headers=AS_ADMIN)).json()
    assert [(t["disc_number"], t["track_number"], t["title"]) for t in wall_album["tracks"]] == [
        (1, 1, "In the Flesh"), (2, 1, "Hey You"), (2, 2, "Broken"),
    ]  # fmt: skip
    artists = (await api.get("/api/v1/music/artists", headers=AS_ADMIN)).json()["items"]
    assert [a["name"] for a in artists] == ["Pink Floyd", "Various Artists"]
    broken = (await files_by_name(clean_runtime))["02 - Broken.mp3"]
    assert broken["analysis"] == "failed" and "unreadable audio" in broken["failure_reason"]


async def test_music_retag_updates_only_that_track(
    api: httpx.AsyncClient, make_library: LibraryMaker, scan: Scanner, clean_runtime: Runtime,
    tmp_path: Path,
) -> None:  # fmt: skip
    root = tmp_path / "music"
    for n in (1, 2, 3):
        make_audio(root / "Artist" / "Album" / f"0{n} - Song {n}.flac", seconds=0.5 + n / 10)
    library = await make_library("music", root)
    await scan(library)
    before = await files_by_name(clean_runtime)
    # Saved beside and renamed over (a tag editor writing in place inside an unchanged
    # folder is seen by the watcher and full scans, see scanner.walk).
    make_audio(
        root / "Artist" / "Album" / "02 - Song 2.part.flac",
        seconds=0.6,
        tags={"title": "Song 2", "artist": "Guest", "album": "Album", "album_artist": "Artist",
              "track": "2"},
    )  # fmt: skip
    (root / "Artist" / "Album" / "02 - Song 2.part.flac").replace(
        root / "Artist" / "Album" / "02 - Song 2.flac"
    )
    state = await scan(library)
    assert (state.updated, state.added) == (1, 0)
    after = await files_by_name(clean_runtime)
    assert [n for n in after if after[n]["updated_at"] != before[n]["updated_at"]] == [
        "02 - Song 2.flac"
    ]
    track = (
        await api.get(f"/api/v1/music/tracks/{after['02 - Song 2.flac']['item_id']}",
                      headers=AS_ADMIN)
    ).json()  # fmt: skip
    assert track["artist_name"] == "Guest"
    assert track["id"] == str(before["02 - Song 2.flac"]["item_id"])
