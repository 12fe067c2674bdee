"""Incremental rescans skip folders whose mtime is unchanged, and still see every change
a folder's mtime records; a full scan still sees a file rewritten in place."""

from __future__ import annotations

import os
import time
from pathlib import Path

import httpx

from revenge.libraries.scanner.mounts import _mount_type
from revenge.runtime import Runtime
from tests.libraries.conftest import AS_ADMIN, LibraryMaker, Scanner
from tests.libraries.helpers import files_by_name, rows
from tests.support.media import make_video


def _age_folders(root: Path) -> None:
    """Date every folder back (always to the same moment): a folder changed seconds ago is
    listed again by the next scan (same-tick races)."""
    now = int(time.time())
    past = now - now % 86_400 - 86_400
    for folder, _, _ in os.walk(root):
        os.utime(folder, (past, past))


def _tree(root: Path) -> None:
    for name in ("Heat (1995)", "Alien (1979)", "Ronin (1998)", "Brazil (1985)"):
        make_video(root / "Collection" / "Crime" / name / f"{name}.mkv", seconds=0.3)


async def test_incremental_rescan_sees_added_removed_and_renamed_files_in_nested_folders(
    make_library: LibraryMaker, scan: Scanner, clean_runtime: Runtime, tmp_path: Path
) -> None:
    root = tmp_path / "movies"
    _tree(root)
    library = await make_library("movie", root)
    await scan(library, "full")
    _age_folders(root)
    await scan(library)
    quiet = await scan(library)
    assert (quiet.seen, quiet.added, quiet.updated, quiet.missing) == (4, 0, 0, 0)

    crime = root / "Collection" / "Crime"
    make_video(crime / "Heat (1995)" / "Heat (1995) - Extended.mkv", seconds=0.4)
    (crime / "Alien (1979)" / "Alien (1979).mkv").unlink()
    (crime / "Ronin (1998)" / "Ronin (1998).mkv").rename(crime / "Ronin (1998)" / "Ronin.mkv")
    state = await scan(library)

    assert (state.added, state.missing, state.moved) == (1, 1, 1)
    files = await files_by_name(clean_runtime)
    assert files["Alien (1979).mkv"]["missing_since"] is not None
    assert "Ronin.mkv" in files and "Ronin (1998).mkv" not in files
    assert files["Heat (1995) - Extended.mkv"]["missing_since"] is None


async def test_a_file_rewritten_in_place_is_seen_by_a_full_scan(
    make_library: LibraryMaker, scan: Scanner, clean_runtime: Runtime, tmp_path: Path
) -> None:
    root = tmp_path / "movies"
    _tree(root)
    library = await make_library("movie", root)
    await scan(library, "full")
    _age_folders(root)
    await scan(library)
    brazil = root / "Collection" / "Crime" / "Brazil (1985)"
    size = (brazil / "Brazil (1985).mkv").stat().st_size
    make_video(brazil / "Brazil (1985).mkv", seconds=1.5)  # rewritten in place
    _age_folders(root)  # a rewrite in place leaves the folder's mtime as it was

    # Documented: an incremental rescan takes an unchanged folder's files as they were...
    assert (await scan(library)).updated == 0
    # ...and a full scan (periodic, or asked for) reads every file again.
    assert (await scan(library, "full")).updated == 4
    row = (await files_by_name(clean_runtime))["Brazil (1985).mkv"]
    assert row["size"] != size and row["size"] == (brazil / "Brazil (1985).mkv").stat().st_size


async def test_library_opting_out_lists_every_folder(
    api: httpx.AsyncClient, make_library: LibraryMaker, scan: Scanner, clean_runtime: Runtime,
    tmp_path: Path,
) -> None:  # fmt: skip
    root = tmp_path / "movies"
    _tree(root)
    library = await make_library("movie", root)
    patched = await api.patch(
        f"/api/v1/libraries/{library['id']}",
        json={"scan_settings": {"full_walk": True}},
        headers=AS_ADMIN,
    )
    assert patched.status_code == 200, patched.text
    await scan(library, "full")
    _age_folders(root)
    await scan(library)
    brazil = root / "Collection" / "Crime" / "Brazil (1985)" / "Brazil (1985).mkv"
    make_video(brazil, seconds=1.5)
    _age_folders(root)
    assert (await scan(library)).updated == 1
    snapshot = await rows(clean_runtime, "SELECT path, mtime_ns FROM library_folders")
    assert {Path(r["path"]).name for r in snapshot} >= {"Collection", "Crime", "Brazil (1985)"}


def test_network_mounts_are_not_trusted() -> None:
    mounts = (("/", "ext4"), ("/mnt/nas", "nfs4"), ("/mnt/nas/local", "xfs"))
    assert _mount_type("/mnt/nas/Movies", mounts) == "nfs4"
    assert _mount_type("/mnt/nas/local/x", mounts) == "xfs"
    assert _mount_type("/srv/media", mounts) == "ext4"


def test_a_root_written_with_a_trailing_slash_is_walked_once(tmp_path: Path) -> None:
    from revenge.libraries.scanner.walk import VIDEO_EXTENSIONS, walk

    (tmp_path / "m" / "Heat (1995)").mkdir(parents=True)
    (tmp_path / "m" / "Heat (1995)" / "Heat (1995).mkv").touch()
    _age_folders(tmp_path / "m")
    root = f"{tmp_path / 'm'}/"
    first = walk([root], VIDEO_EXTENSIONS, None, {})
    again = walk([root], VIDEO_EXTENSIONS, None, first.folders)
    assert len(first.files) == 1 and again.files == []
    assert len(again.unchanged_folders) == 2  # the root and the film's folder, skipped
