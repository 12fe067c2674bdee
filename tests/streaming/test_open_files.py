"""Files kept open between a player's range requests: reused only while unchanged."""

from __future__ import annotations

import asyncio
import errno
import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from revenge.runtime import Runtime
from revenge.streaming import open_files
from revenge.streaming.open_files import OpenFiles
from tests.streaming.conftest import AS_USER, CONTENT, Media
from tests.streaming.test_confined_open import read_opened


@pytest.fixture
def opens(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The paths OpenFiles opens through the confinement (each a real open)."""
    seen: list[str] = []
    real = open_files.open_confined

    def counting(path: str, roots: list[str]) -> tuple[int, os.stat_result] | None:
        seen.append(path)
        return real(path, roots)

    monkeypatch.setattr(open_files, "open_confined", counting)
    yield seen


def _read(files: OpenFiles, path: Path, root: Path) -> bytes | None:
    return read_opened(files.open, path, [root])


def _open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.fixture
def film(tmp_path: Path) -> Path:
    path = tmp_path / "Movies" / "Heat (1995).mkv"
    path.parent.mkdir()
    path.write_bytes(b"heat")
    return path


async def test_a_kept_file_is_not_opened_again_until_it_changes(
    opens: list[str], film: Path
) -> None:
    files = OpenFiles()
    root = film.parent
    assert [_read(files, film, root) for _ in range(3)] == [b"heat"] * 3
    assert len(opens) == 1  # the caller closing its descriptor leaves the kept one open
    # Rewritten in place (same inode, new size and time): opened again, new bytes.
    film.write_bytes(b"heat, the director's cut")
    assert _read(files, film, root) == b"heat, the director's cut"
    # Replaced by another file under the same name.
    new = root / "new.mkv"
    new.write_bytes(b"remastered")
    new.rename(film)
    assert _read(files, film, root) == b"remastered"
    assert len(opens) == 3
    await files.close()


async def test_a_changed_path_goes_through_the_confinement_again(
    opens: list[str], film: Path, tmp_path: Path
) -> None:
    files = OpenFiles()
    root = film.parent
    assert _read(files, film, root) == b"heat"
    outside = tmp_path / "outside.mkv"
    outside.write_bytes(b"not yours")
    film.unlink()
    film.symlink_to(outside)
    assert _read(files, film, root) is None
    film.unlink()
    assert _read(files, film, root) is None  # deleted
    assert len(opens) == 3  # both changes went back through the confinement
    assert len(files) == 0
    await files.close()


def test_out_of_descriptors_refuses_rather_than_failing(
    film: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = OpenFiles()
    assert _read(files, film, film.parent) == b"heat"

    def no_descriptors(fd: int) -> int:
        raise OSError(errno.EMFILE, "Too many open files")

    monkeypatch.setattr(open_files.os, "dup", no_descriptors)
    assert files.open(str(film), [str(film.parent)]) is None
    monkeypatch.undo()
    assert _read(files, film, film.parent) == b"heat"
    asyncio.run(files.close())


async def test_idle_files_are_closed_and_so_are_the_oldest_beyond_the_limit(
    film: Path,
) -> None:
    before = _open_descriptors()
    files = OpenFiles(idle_seconds=0.05, max_open=2)
    others = [film.parent / f"Other {n}.mkv" for n in range(3)]
    for path in others:
        path.write_bytes(b"other")
        assert _read(files, path, film.parent) == b"other"
    assert len(files) == 2
    assert _open_descriptors() == before + 2
    await asyncio.sleep(0.3)
    assert len(files) == 0
    assert _open_descriptors() == before
    assert _read(files, film, film.parent) == b"heat"
    await files.close()
    assert _open_descriptors() == before


async def test_a_file_replaced_between_two_range_requests_is_served_new(
    api: httpx.AsyncClient, clean_runtime: Runtime, media: Media
) -> None:
    url = f"/api/v1/stream/{media.file_id}"
    first = await api.get(url, headers={**AS_USER, "range": "bytes=0-9"})
    assert (first.status_code, first.content) == (206, CONTENT[:10])
    replacement = media.path.with_name("incoming.part")
    replacement.write_bytes(b"new cut " * 100)
    replacement.rename(media.path)
    second = await api.get(url, headers={**AS_USER, "range": "bytes=0-9"})
    assert (second.status_code, second.content) == (206, b"new cut ne")
    assert second.headers["etag"] != first.headers["etag"]
    media.path.unlink()
    gone = await api.get(url, headers={**AS_USER, "range": "bytes=0-9"})
    assert gone.status_code == 410
