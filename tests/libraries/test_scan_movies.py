"""Scanning a movie library: grouping, moves, missing files, unmounted roots, symlinks."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import httpx

from revenge.runtime import Runtime
from tests.libraries.conftest import AS_ADMIN, AS_USER, LibraryMaker, Scanner
from tests.libraries.helpers import age_missing, files_by_name, rows, run_cleanup
from tests.support.media import make_video


def _movie_tree(root: Path) -> None:
    matrix = root / "The Matrix (1999)"
    make_video(matrix / "The Matrix (1999).mkv")
    make_video(matrix / "The Matrix (1999) - 4K.mp4", width=96, height=64)
    make_video(matrix / "Trailers" / "Official Trailer.mp4")
    make_video(matrix / "sample.mkv")
    make_video(root / "Avatar (2009)" / "Avatar (2009) cd1.mkv")
    make_video(root / "Avatar (2009)" / "Avatar (2009) cd2.mkv")
    make_video(root / "Heat (1995) [tmdb-949].mkv")
    make_video(root / "-rf (2001).mkv")
    (root / "Broken (2010).mkv").write_bytes(b"this is not a video" * 100)
    (root / "Empty (2011).mkv").touch()


async def test_grouping_versions_parts_extras(
    api: httpx.AsyncClient, make_library: LibraryMaker, scan: Scanner, clean_runtime: Runtime,
    tmp_path: Path,
) -> None:  # fmt: skip
    root = tmp_path / "movies"
    _movie_tree(root)
    library = await make_library("movie", root)
    state = await scan(library)
    assert (state.seen, state.added, state.failed) == (10, 10, 1)
    page = (await api.get("/api/v1/movies", params={"sort": "title"}, headers=AS_ADMIN)).json()
    titles = [(m["title"], m["year"]) for m in page["items"]]
    assert titles == [
        ("Avatar", 2009), ("Broken", 2010), ("Empty", 2011), ("Heat", 1995),
        ("The Matrix", 1999), ("Rf", 2001),
    ]  # fmt: skip
    heat = next(m for m in page["items"] if m["title"] == "Heat")
    assert heat["tmdb_id"] == "949"
    matrix = next(m for m in page["items"] if m["title"] == "The Matrix")
    detail = (await api.get(f"/api/v1/movies/{matrix['id']}", headers=AS_ADMIN)).json()
    kinds = sorted((f["name"], f["version"], f["extra_type"]) for f in detail["files"])
    assert kinds == [
        ("Official Trailer.mp4", None, "Trailer"),
        ("The Matrix (1999) - 4K.mp4", "4K", None),
        ("The Matrix (1999).mkv", None, None),
    ]
    avatar = next(m for m in page["items"] if m["title"] == "Avatar")
    parts = (await api.get(f"/api/v1/movies/{avatar['id']}", headers=AS_ADMIN)).json()["files"]
    assert [f["part"] for f in parts] == [1, 2]
    files = await files_by_name(clean_runtime)
    assert files["sample.mkv"]["item_id"] is None
    assert files["Empty (2011).mkv"]["failure_reason"] == "empty file"


async def test_probe_job_reads_streams_and_marks_bad_files(
    api: httpx.AsyncClient, make_library: LibraryMaker, scan: Scanner, clean_runtime: Runtime,
    tmp_path: Path,
) -> None:  # fmt: skip
    root = tmp_path / "movies"
    _movie_tree(root)
    library = await make_library("movie", root)
    state = await scan(library)
    from revenge.infra.jobs.context import JobContext
    from revenge.scanning.jobs import probe

    await probe(
        JobContext(clean_runtime, 0, "libraries.probe", 1),
        {"file_ids": [str(i) for i in state.probe]},
    )
    files = await files_by_name(clean_runtime)
    assert files["Broken (2010).mkv"]["analysis"] == "failed"
    assert "not a playable media file" in files["Broken (2010).mkv"]["failure_reason"]
    assert files["-rf (2001).mkv"]["analysis"] == "ok"
    four_k = files["The Matrix (1999) - 4K.mp4"]
    assert four_k["analysis"] == "ok" and four_k["duration_seconds"] > 0
    movie = (await api.get(f"/api/v1/movies/{four_k['item_id']}", headers=AS_ADMIN)).json()
    streams = next(f for f in movie["files"] if f["version"] == "4K")["streams"]
    video, audio = streams
    assert (video["kind"], video["codec"], video["width"], video["height"]) == (
        "video", "h264", 96, 64,
    )  # fmt: skip
    assert (audio["kind"], audio["channels"], audio["language"]) == ("audio", 2, "eng")
    assert video["hdr"] is False
    failed = await api.get(f"/api/v1/libraries/{library['id']}/failed-files", headers=AS_ADMIN)
    reasons = {f["path"].rsplit("/", 1)[-1]: f["reason"] for f in failed.json()["items"]}
    assert set(reasons) == {"Broken (2010).mkv", "Empty (2011).mkv"}


async def test_move_and_rename_keep_item_and_watch_state(
    api: httpx.AsyncClient, make_library: LibraryMaker, scan: Scanner, clean_runtime: Runtime,
    tmp_path: Path,
) -> None:  # fmt: skip
    root = tmp_path / "movies"
    make_video(root / "Heat (1995).mkv", seconds=0.7)
    make_video(root / "Alien (1979).mkv", seconds=0.3)
    library = await make_library("movie", root)
    await scan(library)
    before = await files_by_name(clean_runtime)
    heat_id = before["Heat (1995).mkv"]["item_id"]
    marked = await api.patch(
        f"/api/v1/items/movie/{heat_id}/state",
        json={"position_seconds": 321.5, "favourite": True},
        headers=AS_ADMIN,
    )
    assert marked.status_code == 200, marked.text
    (root / "Crime").mkdir()
    os.rename(root / "Heat (1995).mkv", root / "Crime" / "Heat.1995.1080p.mkv")
    # A copy to another place changes the inode: the fingerprint still recognises it.
    shutil.copy2(root / "Alien (1979).mkv", root / "Crime" / "Alien (1979) renamed.mkv")
    os.remove(root / "Alien (1979).mkv")
    state = await scan(library)
    assert (state.moved, state.added, state.missing) == (2, 0, 0)
    after = await files_by_name(clean_runtime)
    assert after["Heat.1995.1080p.mkv"]["id"] == before["Heat (1995).mkv"]["id"]
    assert after["Heat.1995.1080p.mkv"]["item_id"] == heat_id
    assert after["Alien (1979) renamed.mkv"]["item_id"] == before["Alien (1979).mkv"]["item_id"]
    kept = (await api.get(f"/api/v1/movies/{heat_id}", headers=AS_ADMIN)).json()["user_state"]
    assert kept["position_seconds"] == 321.5 and kept["favourite"] is True
    assert (await rows(clean_runtime, "SELECT count(*) AS n FROM movies"))[0]["n"] == 2


async def test_deleted_files_are_missing_then_purged_after_grace(
    api: httpx.AsyncClient, make_library: LibraryMaker, scan: Scanner, clean_runtime: Runtime,
    tmp_path: Path,
) -> None:  # fmt: skip
    root = tmp_path / "movies"
    make_video(root / "Heat (1995).mkv")
    make_video(root / "Alien (1979).mkv", seconds=0.3)
    library = await make_library("movie", root)
    await scan(library)
    (root / "Heat (1995).mkv").unlink()
    state = await scan(library)
    assert state.missing == 1
    heat = (await files_by_name(clean_runtime))["Heat (1995).mkv"]
    assert heat["missing_since"] is not None
    missing = await api.get(f"/api/v1/libraries/{library['id']}/missing-files", headers=AS_ADMIN)
    assert missing.json()["total"] == 1
    assert missing.json()["items"][0]["path"].endswith("Heat (1995).mkv")
    url = f"/api/v1/libraries/{library['id']}/missing-files"
    assert (await api.get(url, headers=AS_USER)).status_code == 403
    await run_cleanup(clean_runtime)
    assert (await api.get(f"/api/v1/movies/{heat['item_id']}", headers=AS_ADMIN)).json()["files"][
        0
    ]["missing"]
    await age_missing(clean_runtime, 73)
    await run_cleanup(clean_runtime)
    assert (await api.get(f"/api/v1/movies/{heat['item_id']}", headers=AS_ADMIN)).status_code == 404
    assert (await api.get("/api/v1/movies", headers=AS_ADMIN)).json()["total"] == 1


async def test_unmounted_or_emptied_root_deletes_nothing(
    api: httpx.AsyncClient, make_library: LibraryMaker, scan: Scanner, clean_runtime: Runtime,
    tmp_path: Path,
) -> None:  # fmt: skip
    root = tmp_path / "disk"
    make_video(root / "Heat (1995).mkv")
    make_video(root / "Alien (1979).mkv", seconds=0.3)
    library = await make_library("movie", root)
    await scan(library)
    for entry in list(root.iterdir()):
        entry.unlink()
    state = await scan(library, "full")
    assert state.missing == 0 and state.warning is not None
    shutil.rmtree(root)
    state = await scan(library)
    assert state.missing == 0
    found = await rows(clean_runtime, "SELECT missing_since FROM media_files")
    assert len(found) == 2 and all(r["missing_since"] is None for r in found)
    history = await api.get(f"/api/v1/libraries/{library['id']}/scans", headers=AS_ADMIN)
    assert "nothing under it was marked missing" in history.json()[0]["error"]


async def test_symlinks_escaping_the_library_and_ignored_folders_are_skipped(
    make_library: LibraryMaker, scan: Scanner, clean_runtime: Runtime, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    make_video(outside / "Secret (2000).mkv")
    root = tmp_path / "movies"
    make_video(root / "Heat (1995).mkv")
    make_video(root / "Hidden" / "Ignored (2001).mkv")
    (root / "Hidden" / ".revengeignore").touch()
    make_video(root / "Other" / "Also Ignored (2002).mkv")
    (root / "Other" / ".ignore").touch()
    (root / "escape").symlink_to(outside)
    (root / "escape-file.mkv").symlink_to(outside / "Secret (2000).mkv")
    (root / "inside-link.mkv").symlink_to(root / "Heat (1995).mkv")
    library = await make_library("movie", root)
    await scan(library)
    names = sorted(await files_by_name(clean_runtime))
    assert names == ["Heat (1995).mkv", "inside-link.mkv"]


async def test_rescan_after_a_change_touches_only_that_file(
    make_library: LibraryMaker, scan: Scanner, clean_runtime: Runtime, tmp_path: Path
) -> None:
    root = tmp_path / "movies"
    for i in range(5):
        make_video(root / f"Film {i} (200{i}).mkv", seconds=0.2 + i / 10)
    library = await make_library("movie", root)
    await scan(library)
    unchanged = await scan(library)
    assert (unchanged.added, unchanged.updated, unchanged.processed) == (0, 0, 0)
    before = await files_by_name(clean_runtime)
    # Written beside and renamed over, as downloaders and copies do: a file rewritten in
    # place inside an unchanged folder is left to the watcher and full scans (scanner.walk).
    make_video(root / "Film 3 (2003).part.mkv", seconds=1.0)
    (root / "Film 3 (2003).part.mkv").replace(root / "Film 3 (2003).mkv")
    state = await scan(library)
    assert (state.added, state.updated, state.processed, state.moved) == (0, 1, 1, 0)
    after = await files_by_name(clean_runtime)
    changed = [n for n in after if after[n]["updated_at"] != before[n]["updated_at"]]
    assert changed == ["Film 3 (2003).mkv"]
    assert after["Film 3 (2003).mkv"]["id"] == before["Film 3 (2003).mkv"]["id"]


async def test_probe_flags_hdr_and_times_out_on_a_stuck_file(tmp_path: Path) -> None:
    from revenge.libraries.probe import Prober

    hdr = make_video(tmp_path / "-HDR (2020).mkv", hdr=True, audio=False)
    stuck = tmp_path / "stuck.mkv"
    os.mkfifo(stuck)  # opening it blocks forever, as a hung network mount would
    prober = Prober(timeout=1.0)
    try:
        result = await prober.probe(str(hdr))
        assert result["streams"][0]["hdr"] is True and result["streams"][0]["codec"] == "hevc"
        assert (await prober.probe(str(stuck)))["error"] == "probe timed out after 1s"
        assert "error" not in await prober.probe(str(hdr))  # a fresh child took over
    finally:
        await prober.close()
