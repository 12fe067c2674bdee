"""Subtitles: found at scan time, listed with their flags, served as WebVTT, confined."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from revenge.infra.jobs.context import JobContext
from revenge.libraries.jobs import probe
from revenge.libraries.scanner.scan import ScanRequest, run_scan
from revenge.playback.subtitle_names import describe
from revenge.runtime import Runtime
from revenge.testing.auth import USER
from revenge.testing.seed import add_file, add_library, add_movie, execute
from tests.playback.conftest import AS_USER
from tests.playback.subtitle_media import ASS, SRT, VTT, cues, make_subtitled_video

NAME = "Heat (1995)"


@dataclass
class Film:
    root: Path
    folder: Path
    movie_id: uuid.UUID
    file_id: uuid.UUID


async def _probe(runtime: Runtime, file_id: uuid.UUID) -> None:
    """The scan's follow-up job, as a worker runs it."""
    await probe(JobContext(runtime, 0, "libraries.probe", 1), {"file_ids": [str(file_id)]})


@pytest.fixture
async def film(api: httpx.AsyncClient, clean_runtime: Runtime, tmp_path: Path) -> Film:
    """A movie with two embedded text streams and subtitle files of every kind beside it."""
    root = tmp_path / "movies"
    library = await add_library(clean_runtime, "movie", root, grant=(USER.user_id,))
    folder = root / NAME
    video = make_subtitled_video(folder / f"{NAME}.mkv", tmp_path / "work")
    (folder / f"{NAME}.en.forced.srt").write_text(SRT)
    old_srt = "1\n00:00:03,000 --> 00:00:04,000\nCafé\n".encode("cp1252")  # not UTF-8
    (folder / f"{NAME}.eng.sdh.srt").write_bytes(old_srt)
    (folder / f"{NAME}.fr.default.ass").write_text(ASS)
    (folder / f"{NAME}.de.vtt").write_text(VTT)
    (folder / f"{NAME}.sup").write_bytes(b"PG" + bytes(64))
    (folder / "Other film.en.srt").write_text(SRT)
    movie_id = await add_movie(clean_runtime, library, "Heat")
    file_id = await add_file(clean_runtime, library, video, item=("movie", movie_id))
    await _probe(clean_runtime, file_id)
    return Film(root, folder, movie_id, file_id)


def test_names_give_language_and_flags() -> None:
    cases = {
        "Movie.en.forced.srt": ("srt", "en", False, True, False, None),
        "Movie.eng.sdh.srt": ("srt", "en", False, False, True, None),
        "Movie.pt-BR.default.ass": ("ass", "pt-BR", True, False, False, None),
        "Movie.ger.foreign.ssa": ("ssa", "de", False, True, False, None),
        "Movie.en.hi.vtt": ("vtt", "en", False, False, True, None),
        "Movie.hi.srt": ("srt", "hi", False, False, False, None),
        "Movie.fre.commentary.srt": ("srt", "fr", False, False, False, "commentary"),
        "Movie.srt": ("srt", None, False, False, False, None),
        "Movie.en.idx": ("vobsub", "en", False, False, False, None),
        "Movie.sup": ("pgs", None, False, False, False, None),
    }
    for name, expected in cases.items():
        s = describe(name, "Movie")
        assert s is not None, name
        assert (s.format, s.language, s.is_default, s.is_forced, s.is_sdh, s.title) == expected
    assert describe("Movie.en.txt", "Movie") is None
    assert describe("Movies.en.srt", "Movie") is None


async def test_tracks_listed_from_the_scan_with_their_flags(
    api: httpx.AsyncClient, film: Film
) -> None:
    r = await api.get(f"/api/v1/playback/subtitles/{film.file_id}", headers=AS_USER)
    assert r.status_code == 200, r.text
    listed = {
        t["id"]: (t["source"], t["format"], t["language"], t["default"], t["forced"], t["sdh"],
                  t["convertible"])
        for t in r.json()
    }  # fmt: skip
    assert listed == {
        "e1": ("embedded", "srt", "en", False, False, False, True),
        "e2": ("embedded", "ssa", "fr", False, True, False, True),
        "x1": ("external", "vtt", "de", False, False, False, True),
        "x2": ("external", "srt", "en", False, True, False, True),
        "x3": ("external", "srt", "en", False, False, True, True),
        "x4": ("external", "ass", "fr", True, False, False, True),
        "x5": ("external", "pgs", None, False, False, False, False),
    }
    assert next(t for t in r.json() if t["id"] == "x5")["url"] is None
    by_item = await api.get(f"/api/v1/items/{film.movie_id}/subtitles", headers=AS_USER)
    assert [t["id"] for t in by_item.json()] == [t["id"] for t in r.json()]
    # Listing reads the database only: with the folder gone the tracks are still listed.
    for path in film.folder.iterdir():
        path.unlink()
    again = await api.get(f"/api/v1/playback/subtitles/{film.file_id}", headers=AS_USER)
    assert len(again.json()) == 7


async def test_every_text_track_becomes_webvtt_with_its_timing(
    api: httpx.AsyncClient, film: Film
) -> None:
    tracks = (await api.get(f"/api/v1/playback/subtitles/{film.file_id}", headers=AS_USER)).json()
    urls = {t["id"]: t["url"] for t in tracks}
    expected = {
        "e1": [(1.0, 2.5, "Hello <i>world</i> &amp; co"), (2.6, 2.9, "Second line")],
        "x2": [(1.0, 2.5, "Hello <i>world</i> &amp; co"), (2.6, 2.9, "Second line")],
        "e2": [(0.5, 1.75, "<i>Bonjour</i>\nle monde"), (2.0, 2.25, "Deux &lt;tags&gt;")],
        "x4": [(0.5, 1.75, "<i>Bonjour</i>\nle monde"), (2.0, 2.25, "Deux &lt;tags&gt;")],
        "x1": [(0.25, 1.0, "Guten &amp; Tag")],
        "x3": [(3.0, 4.0, "Café")],
    }
    for track_id, want in expected.items():
        # The listed URL is signed: it plays in a <track> element, without headers.
        r = await api.get(urls[track_id])
        assert r.status_code == 200, (track_id, r.text)
        assert r.headers["content-type"].startswith("text/vtt")
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.content.startswith(b"WEBVTT\n")
        assert cues(r.content) == want, track_id
    # A line the subtitles place at the top stays there.
    top = await api.get(urls["x4"])
    assert b"00:00:02.000 --> 00:00:02.250 line:0\n" in top.content


async def test_bad_tracks_files_and_callers(
    api: httpx.AsyncClient, clean_runtime: Runtime, film: Film
) -> None:
    base = f"/api/v1/playback/subtitles/{film.file_id}"
    assert (await api.get(f"{base}/x5.vtt", headers=AS_USER)).status_code == 400
    for track in ("x99", "e0", "e9", "zz", "x1x"):
        r = await api.get(f"{base}/{track}.vtt", headers=AS_USER)
        assert r.status_code == 404, track
        assert r.headers["content-type"] == "application/problem+json"
    unknown = uuid.uuid4()
    assert (
        await api.get(f"/api/v1/playback/subtitles/{unknown}", headers=AS_USER)
    ).status_code == 404
    assert (await api.get(f"/api/v1/items/{unknown}/subtitles", headers=AS_USER)).status_code == 404
    assert (await api.get(f"{base}/x1.vtt")).status_code == 401
    # A signed URL of another file opens nothing here.
    other = make_subtitled_video(film.root / "Other" / "Other.mkv", film.root.parent / "w2")
    other_id = await add_file(clean_runtime, await _library_of(clean_runtime, film), other)
    await _probe(clean_runtime, other_id)
    signed = (await api.get(f"/api/v1/playback/subtitles/{other_id}", headers=AS_USER)).json()
    token = signed[0]["url"].split("token=")[1]
    assert (
        await api.get(f"/api/v1/playback/subtitles/{other_id}/e1.vtt", params={"token": token})
    ).status_code == 200
    assert (await api.get(f"{base}/e1.vtt", params={"token": token})).status_code == 401


async def test_embedded_bitmap_streams_are_listed_but_not_converted(
    api: httpx.AsyncClient, clean_runtime: Runtime, film: Film
) -> None:
    # A Blu-ray rip's PGS stream, as the probe stores it.
    await execute(
        clean_runtime,
        "INSERT INTO media_streams (media_file_id, index, kind, codec, language, title)"
        " VALUES (:f, 3, 'subtitle', 'hdmv_pgs_subtitle', 'jpn', 'Signs (SDH)')",
        f=film.file_id,
    )  # fmt: skip
    tracks = (await api.get(f"/api/v1/playback/subtitles/{film.file_id}", headers=AS_USER)).json()
    pgs = next(t for t in tracks if t["id"] == "e3")
    assert (pgs["format"], pgs["language"], pgs["sdh"]) == ("hdmv_pgs_subtitle", "ja", True)
    assert pgs["convertible"] is False and pgs["url"] is None
    r = await api.get(f"/api/v1/playback/subtitles/{film.file_id}/e3.vtt", headers=AS_USER)
    assert r.status_code == 400
    assert "bitmap" in r.json()["detail"]


async def _library_of(runtime: Runtime, film: Film) -> uuid.UUID:
    rows = await execute(
        runtime, "SELECT library_id FROM media_files WHERE id = :i", i=film.file_id
    )
    return uuid.UUID(str(rows[0]["library_id"]))


async def test_corrupt_and_escaping_subtitle_files_are_refused(
    api: httpx.AsyncClient, clean_runtime: Runtime, film: Film, tmp_path: Path
) -> None:
    outside = tmp_path / "private" / "secret.srt"
    outside.parent.mkdir()
    outside.write_text(SRT)
    (film.folder / f"{NAME}.it.srt").symlink_to(outside)
    (film.folder / f"{NAME}.es.srt").write_bytes(bytes(range(256)) * 50)
    await _probe(clean_runtime, film.file_id)
    tracks = (await api.get(f"/api/v1/playback/subtitles/{film.file_id}", headers=AS_USER)).json()
    by_language = {t["language"]: t for t in tracks if t["source"] == "external"}
    escaping = await api.get(by_language["it"]["url"])
    assert escaping.status_code == 404
    assert escaping.headers["content-type"] == "application/problem+json"
    corrupt = await api.get(by_language["es"]["url"])
    assert corrupt.status_code == 422, corrupt.text
    assert "cannot be read" in corrupt.json()["detail"]
    # A subtitle file rewritten after it was served is served anew.
    assert cues((await api.get(by_language["de"]["url"])).content)[0][2] == "Guten &amp; Tag"
    german = film.folder / f"{NAME}.de.vtt"
    german.write_text(VTT.replace("Guten &amp; Tag", "Gute Nacht"))
    r = await api.get(by_language["de"]["url"])
    assert cues(r.content) == [(0.25, 1.0, "Gute Nacht")]


async def test_a_subtitle_file_dropped_beside_a_film_is_listed_after_its_folder_scan(
    api: httpx.AsyncClient, clean_runtime: Runtime, film: Film
) -> None:
    url = f"/api/v1/playback/subtitles/{film.file_id}"
    before = {t["language"] for t in (await api.get(url, headers=AS_USER)).json()}
    assert "es" not in before
    (film.folder / f"{NAME}.spa.forced.srt").write_text(SRT)
    (film.folder / f"{NAME}.de.vtt").unlink()
    # What the file watcher queues for a change in the folder: an incremental folder scan.
    library_id = await _library_of(clean_runtime, film)
    await run_scan(clean_runtime, ScanRequest(library_id, folders=[str(film.folder)]))
    after = {(t["language"], t["forced"]) for t in (await api.get(url, headers=AS_USER)).json()}
    assert ("es", True) in after
    assert ("de", False) not in after


async def test_subtitles_follow_a_film_moved_with_them(
    api: httpx.AsyncClient, clean_runtime: Runtime, tmp_path: Path
) -> None:
    root = tmp_path / "films"
    library = await add_library(clean_runtime, "movie", root, grant=(USER.user_id,))
    make_subtitled_video(root / NAME / f"{NAME}.mkv", tmp_path / "work")
    (root / NAME / f"{NAME}.en.srt").write_text(SRT)
    await run_scan(clean_runtime, ScanRequest(library))
    found = await execute(clean_runtime, "SELECT id FROM media_files WHERE kind = 'video'")
    file_id = uuid.UUID(str(found[0]["id"]))
    await _probe(clean_runtime, file_id)
    # Renamed as a downloader's tidy-up would: folder, film and its subtitles.
    moved = root / "Heat.1995.1080p"
    os.rename(root / NAME, moved)
    os.rename(moved / f"{NAME}.mkv", moved / "Heat.1995.1080p.mkv")
    os.rename(moved / f"{NAME}.en.srt", moved / "Heat.1995.1080p.en.srt")
    state = await run_scan(clean_runtime, ScanRequest(library))
    assert state is not None and state.moved == 1
    listed = (await api.get(f"/api/v1/playback/subtitles/{file_id}", headers=AS_USER)).json()
    external = [t for t in listed if t["source"] == "external"]
    assert [(t["language"], t["format"]) for t in external] == [("en", "srt")]
    r = await api.get(external[0]["url"])
    assert r.status_code == 200 and cues(r.content)[0][2] == "Hello <i>world</i> &amp; co"
