"""Scanning libraries filled with downloads named as people really have them.

Scene and fansub release names, packed numbers, numbers only in the release folder,
non-English season folders, movie release words, lower-case and decomposed (macOS) names,
joined artist credits and spoken-word episode numbers: what the API then shows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from tests.libraries.conftest import AS_ADMIN, LibraryMaker, Scanner
from tests.support.media import make_audio, make_video


async def _get(api: httpx.AsyncClient, url: str) -> Any:
    response = await api.get(url, headers=AS_ADMIN)
    assert response.status_code == 200, response.text
    return response.json()


async def _episodes(api: httpx.AsyncClient, series: dict[str, Any]) -> list[tuple[Any, ...]]:
    """(season, episode, ending, absolute) of every episode of a series, season by season."""
    detail = await _get(api, f"/api/v1/tv/series/{series['id']}")
    out: list[tuple[Any, ...]] = []
    for season in detail["seasons"]:
        for e in await _get(api, f"/api/v1/tv/seasons/{season['id']}/episodes"):
            out.append((season["number"], e["number"], e["ending_number"], e["absolute_number"]))
    return out


async def test_tv_release_names_show_right_series_seasons_and_episodes(
    api: httpx.AsyncClient, make_library: LibraryMaker, scan: Scanner, tmp_path: Path
) -> None:
    root = tmp_path / "tv"
    pack = root / "Series.Title.S01.1080p.WEB-DL.DD5.1.H.264-GRP"
    make_video(pack / "Series.Title.S01E01.1080p.WEB-DL.DD5.1.H.264-GRP.mkv")
    make_video(pack / "Series.Title.S01.Ep02.1080p.WEB-DL.DD5.1.H.264-GRP.mkv")
    make_video(root / "CSI" / "CSI.525.hdtv-lol.mkv")
    make_video(root / "CSI" / "CSI.526.527.hdtv-lol.mkv")
    # The numbers are only in the release folder's name.
    make_video(root / "King of the Hill - 10x12 - Propane [SDTV]" / "ajifajjjeaeaeqwer.avi")
    anime = root / "[HorribleSubs] Some Anime Show"
    make_video(anime / "[HorribleSubs] Some Anime Show - 145 [720p][E63F2984].mkv")
    make_video(root / "Dark" / "Staffel 2" / "Dark - 05.mkv")
    make_video(root / "Signal" / "시즌 2" / "Signal 03.mkv")
    make_video(root / "Soap" / "Soap - S41 E10478 - 2014-08-15.mkv")
    make_video(root / "late_night" / "Late.Night.2015.09.07.720p.HDTV.mkv")
    library = await make_library("tv", root)
    await scan(library)
    series = (await _get(api, "/api/v1/tv/series?sort=title"))["items"]
    by_title = {s["title"]: s for s in series}
    assert sorted(by_title) == [
        "CSI", "Dark", "King of the Hill", "Late Night", "Series Title", "Signal", "Soap",
        "Some Anime Show",
    ]  # fmt: skip
    assert await _episodes(api, by_title["Series Title"]) == [
        (1, 1, None, None),
        (1, 2, None, None),
    ]
    assert await _episodes(api, by_title["CSI"]) == [(5, 25, None, None), (5, 26, 27, None)]
    assert await _episodes(api, by_title["King of the Hill"]) == [(10, 12, None, None)]
    assert await _episodes(api, by_title["Some Anime Show"]) == [(1, 145, None, 145)]
    assert await _episodes(api, by_title["Dark"]) == [(2, 5, None, None)]
    assert await _episodes(api, by_title["Signal"]) == [(2, 3, None, None)]
    assert await _episodes(api, by_title["Soap"]) == [(41, 10478, None, None)]
    late = await _get(api, f"/api/v1/tv/series/{by_title['Late Night']['id']}")
    dated = await _get(api, f"/api/v1/tv/seasons/{late['seasons'][0]['id']}/episodes")
    assert [e["air_date"] for e in dated] == ["2015-09-07"]


async def test_movie_release_names_and_names_from_disk(
    api: httpx.AsyncClient, make_library: LibraryMaker, scan: Scanner, tmp_path: Path
) -> None:
    root = tmp_path / "movies"
    make_video(root / "www.Torrenting.com - Revenge.2008.720p.X264-DIMENSION.mkv")
    make_video(root / "Cars.2.German.DL.720p.BluRay.x264-EmpireHD.mkv")
    make_video(root / "(1995) Ghost in the Shell.mkv")
    make_video(root / "Movie.War.Q.EXTENDED.CUT.2013.German.DL.1080p.BluRay.x264-HQX.mkv")
    make_video(root / "The.Good.German.2006.720p.BluRay.x264-RlsGrp.mkv")
    make_video(root / "pulp_fiction.mkv")
    # macOS writes "Léon" with a combining accent (e + U+0301).
    make_video(root / "Le\u0301on (1994).mkv")
    library = await make_library("movie", root)
    await scan(library)
    page = await _get(api, "/api/v1/movies?sort=title&limit=50")
    assert sorted((m["title"], m["year"]) for m in page["items"]) == [
        ("Cars 2", None), ("Ghost in the Shell", 1995), ("Léon", 1994),
        ("Movie War Q", 2013), ("Pulp Fiction", None), ("Revenge", 2008),
        ("The Good German", 2006),
    ]  # fmt: skip
    leon = next(m for m in page["items"] if m["year"] == 1994)
    assert leon["title"] == "L\u00e9on"


async def test_joined_artist_credits_are_split_into_artists(
    api: httpx.AsyncClient, make_library: LibraryMaker, scan: Scanner, tmp_path: Path
) -> None:
    root = tmp_path / "music"
    album = root / "Artist A" / "Album One"
    tags = {"album_artist": "Artist A", "album": "Album One"}
    make_audio(
        album / "01 - Duet.mp3", tags={**tags, "artist": "Artist A feat. Guest B", "track": "1"}
    )
    trio = {**tags, "artist": "Artist A & Guest B; Guest C", "track": "2"}
    make_audio(album / "02 - Trio.mp3", tags=trio)
    make_audio(root / "Simon & Garfunkel" / "Bookends" / "01 - Song.mp3", tags={"title": "Song"})
    library = await make_library("music", root)
    await scan(library)
    albums = (await _get(api, "/api/v1/music/albums?sort=title"))["items"]
    one = await _get(api, f"/api/v1/music/albums/{albums[0]['id']}")
    credits = [(t["artist_name"], [a["name"] for a in t["artists"]]) for t in one["tracks"]]
    assert credits == [
        ("Artist A feat. Guest B", ["Artist A", "Guest B"]),
        ("Artist A & Guest B; Guest C", ["Artist A", "Guest B", "Guest C"]),
    ]
    guest_ids = {a["id"] for t in one["tracks"] for a in t["artists"] if a["name"] == "Guest B"}
    assert len(guest_ids) == 1  # one Guest B, credited on both tracks
    bookends = await _get(api, f"/api/v1/music/albums/{albums[1]['id']}")
    assert [a["name"] for a in bookends["tracks"][0]["artists"]] == ["Simon & Garfunkel"]


async def test_spoken_word_numbers_from_show_names(
    api: httpx.AsyncClient, make_library: LibraryMaker, scan: Scanner, tmp_path: Path
) -> None:
    root = tmp_path / "podcasts"
    make_audio(root / "Tech Talk" / "Tech Talk 67 - Rust in Production.mp3")
    make_audio(root / "Tech Talk" / "Tech Talk 68 - Python Typing.mp3")
    library = await make_library("podcast", root)
    await scan(library)
    podcast = (await _get(api, "/api/v1/podcasts"))["items"][0]
    episodes = (await _get(api, f"/api/v1/podcasts/{podcast['id']}/episodes"))["items"]
    assert sorted((e["episode_number"], e["title"]) for e in episodes) == [
        (67, "Rust in Production"), (68, "Python Typing"),
    ]  # fmt: skip


async def test_audiobook_chapters_in_the_order_their_names_number_them(
    api: httpx.AsyncClient, make_library: LibraryMaker, scan: Scanner, tmp_path: Path
) -> None:
    root = tmp_path / "books"
    book = root / "frank herbert" / "dune"
    for number, title in ((9, "the desert"), (10, "the spice"), (11, "the worm")):
        make_audio(book / f"Dune {number} - {title}.mp3", seconds=0.3)
    library = await make_library("audiobook", root)
    await scan(library)
    found = (await _get(api, "/api/v1/audiobooks"))["items"]
    assert [b["title"] for b in found] == ["Dune"]
    detail = await _get(api, f"/api/v1/audiobooks/{found[0]['id']}")
    assert detail["authors"] == ["Frank Herbert"]
    # By path "Dune 10" would sort before "Dune 9".
    assert [c["title"] for c in detail["chapters"]] == ["The Desert", "The Spice", "The Worm"]
