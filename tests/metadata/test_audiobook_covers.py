"""Audiobook covers from the three places books keep them: cover.jpg, ID3 APIC, MP4 covr."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from mutagen.id3 import APIC, ID3
from mutagen.mp4 import MP4, MP4Cover
from PIL import Image

from revenge.features import collector
from revenge.images.jobs import download
from revenge.images.tasks import download_image
from revenge.metadata import MetadataFeature
from revenge.runtime import Runtime
from revenge.wiring.metadata import build
from tests.libraries.conftest import (  # noqa: F401
    AS_ADMIN,
    LibraryMaker,
    Scanner,
    api,
    make_library,
    scan,
)
from tests.metadata.test_music_and_people import job
from tests.metadata.tv_support import queued, rows, run_fetches
from tests.support.media import make_audio

DOWNLOAD = download_image.name


def _jpeg(color: tuple[int, int, int], size: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (size, size), color).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
async def local_only(
    clean_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[MetadataFeature]:
    """Metadata from the files alone (no remote provider for audiobooks)."""
    previous = clean_runtime.metadata
    monkeypatch.setattr(clean_runtime.settings.metadata, "audiobook_providers", [])
    monkeypatch.setattr(clean_runtime, "images", None)
    yield build(clean_runtime, collector())
    clean_runtime.metadata = previous


def _books_on_disk(root: Path) -> None:
    folder = make_audio(root / "Bram Stoker" / "Dracula" / "Dracula.mp3", seconds=0.2).parent
    (folder / "cover.jpg").write_bytes(_jpeg((200, 0, 0), 30))
    hobbit = make_audio(root / "J.R.R. Tolkien" / "The Hobbit" / "The Hobbit.mp3", seconds=0.2)
    tags = ID3(hobbit)
    tags.add(APIC(encoding=3, mime="image/jpeg", type=3, desc="Cover", data=_jpeg((0, 200, 0), 40)))
    tags.save(hobbit)
    emma = make_audio(root / "Jane Austen" / "Emma" / "Emma.m4b", seconds=0.2)
    book = MP4(emma)
    book["covr"] = [MP4Cover(_jpeg((0, 0, 200), 50), imageformat=MP4Cover.FORMAT_JPEG)]
    book.save()


async def test_audiobook_covers_are_attached_from_file_tags_and_folder(
    clean_runtime: Runtime,
    local_only: MetadataFeature,
    api: httpx.AsyncClient,  # noqa: F811
    make_library: LibraryMaker,  # noqa: F811
    scan: Scanner,  # noqa: F811
    tmp_path: Path,
) -> None:
    _books_on_disk(tmp_path / "books")
    await scan(await make_library("audiobook", tmp_path / "books"))
    await run_fetches(clean_runtime)
    covers = [p for p in queued(clean_runtime, DOWNLOAD) if p["target"]["kind"] == "cover"]
    assert sorted(p["target"]["item_id"].split(":")[0] for p in covers) == ["audiobook"] * 3
    for payload in covers:
        await download(job(clean_runtime, DOWNLOAD), payload)

    sizes = {}
    for book in await rows(clean_runtime, "SELECT id, title FROM audiobooks"):
        detail = (await api.get(f"/api/v1/audiobooks/{book['id']}", headers=AS_ADMIN)).json()
        (cover,) = detail["images"]
        sizes[book["title"]] = (cover["kind"], cover["width"])
    assert sizes == {"Dracula": ("cover", 30), "The Hobbit": ("cover", 40), "Emma": ("cover", 50)}
