"""Opening a file confined to library roots, through the kernel and the portable way alike."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from revenge.streaming import files

Opener = Callable[[str, list[str]], tuple[int, os.stat_result] | None]
OPENERS = [
    pytest.param(files.open_confined, id="kernel"),
    pytest.param(files._open_confined_portable, id="portable"),
]


def read_opened(opener: Opener, path: Path, roots: list[Path]) -> bytes | None:
    """The file's bytes through `opener`, or None when it refuses."""
    opened = opener(str(path), [str(r) for r in roots])
    if opened is None:
        return None
    fd, st = opened
    try:
        return os.pread(fd, st.st_size, 0)
    finally:
        os.close(fd)


@pytest.mark.parametrize("opener", OPENERS)
def test_only_regular_files_inside_a_root_open(opener: Opener, tmp_path: Path) -> None:
    root, outside = tmp_path / "Movies", tmp_path / "Movies-old"
    (root / "Heat").mkdir(parents=True)
    outside.mkdir()
    film = root / "Heat" / "Heat.mkv"
    film.write_bytes(b"heat")
    (outside / "Other.mkv").write_bytes(b"other")
    assert read_opened(opener, film, [root]) == b"heat"
    # A root given through a symlink, and a file reached through one inside the root.
    (tmp_path / "via").symlink_to(root)
    (root / "alias.mkv").symlink_to(film)
    assert read_opened(opener, root / "alias.mkv", [tmp_path / "via"]) == b"heat"
    # A sibling whose name merely starts with the root's is outside it.
    assert read_opened(opener, outside / "Other.mkv", [root]) is None
    (root / "escape.mkv").symlink_to("/etc/passwd")
    assert read_opened(opener, root / "escape.mkv", [root]) is None
    (root / "up.mkv").symlink_to(outside / "Other.mkv")
    assert read_opened(opener, root / "up.mkv", [root]) is None
    assert read_opened(opener, root / "Heat", [root]) is None  # a folder
    os.mkfifo(root / "pipe.mkv")
    assert read_opened(opener, root / "pipe.mkv", [root]) is None  # refused, never blocks
    assert read_opened(opener, root / "gone.mkv", [root]) is None
    assert read_opened(opener, film, [tmp_path / "no-such-root"]) is None
