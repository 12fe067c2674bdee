"""Artwork read from disk stays inside the library folders: an NFO `<thumb>` naming a file
elsewhere (absolute, or relative with `..`), a `poster.png` symlinked out of the library and
an NFO that is itself such a symlink are never read, and the refusal is recorded."""

from __future__ import annotations

import os
from pathlib import Path

import psycopg

from revenge.images.jobs import download
from revenge.images.service import ImageService
from revenge.infra.jobs.context import JobContext
from revenge.metadata.jobs import artwork_payloads
from revenge.metadata.providers.local_artwork import LocalArtworkSource
from revenge.metadata.providers.nfo import NfoSource
from revenge.metadata.writer import FetchOutcome, ItemFacts
from revenge.runtime import Runtime
from revenge.scanning.schemas import LibraryIn
from revenge.scanning.service import create_library
from tests.images.samples import encoded

NFO = """<?xml version="1.0" encoding="UTF-8"?>
<movie>
  <title>Heist</title>
  <thumb aspect="poster">../../outside/secret.png</thumb>
  <thumb aspect="banner">{absolute}</thumb>
  <thumb aspect="clearlogo">logo.png</thumb>
</movie>
"""


def ctx(runtime: Runtime) -> JobContext:
    return JobContext(runtime=runtime, job_id=0, task="images.download", attempt=1)


def sources(runtime: Runtime) -> dict[str, str]:
    with psycopg.connect(runtime.db.url) as conn:
        rows = conn.execute("SELECT source, coalesce(reason, status) FROM image_sources")
        return {str(source): str(reason) for source, reason in rows}


async def library(runtime: Runtime, root: Path) -> None:
    async with runtime.db.transaction() as session:
        data = LibraryIn(name="Films", type="movie", paths=[str(root)])
        await create_library(session, data, runtime.settings.data_dir)


async def test_nfo_thumbs_and_symlinks_out_of_the_library_are_refused(
    clean_runtime: Runtime, images: ImageService, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.png"
    secret.write_bytes(encoded("PNG", (40, 60), (200, 0, 0)))
    root = tmp_path / "films"
    movie = root / "Heist (2001)"
    movie.mkdir(parents=True)
    (movie / "Heist (2001).mkv").write_bytes(b"\x1a\x45\xdf\xa3")
    (movie / "movie.nfo").write_text(NFO.format(absolute=secret))
    (movie / "logo.png").write_bytes(encoded("PNG", (50, 20), (0, 200, 0)))
    os.symlink(secret, movie / "fanart.png")  # local artwork pointing out of the library
    await library(clean_runtime, root)

    media = movie / "Heist (2001).mkv"
    from_nfo = await NfoSource().read("movie", media)
    local = await LocalArtworkSource().read("movie", media)
    assert from_nfo is not None and local is not None
    facts = ItemFacts(item_id="movie:1", kind="movie", title="Heist", path=media)
    payloads = [
        *artwork_payloads(facts, FetchOutcome("movie:1", "matched", from_nfo)),
        *artwork_payloads(facts, FetchOutcome("movie:1", "matched", local)),
    ]
    for payload in payloads:
        await download(ctx(clean_runtime), payload)

    recorded = sources(clean_runtime)
    escaped = {s: r for s, r in recorded.items() if "secret" in s or "fanart" in s}
    assert len(escaped) == 3, recorded  # poster (..), banner (absolute), backdrop (symlink)
    assert all(r.startswith("outside_library:") for r in escaped.values()), escaped
    assert recorded[f"file:{movie / 'logo.png'}"] == "stored"
    with psycopg.connect(clean_runtime.db.url) as conn:
        assert conn.execute("SELECT width, height FROM images").fetchall() == [(50, 20)]


async def test_an_nfo_symlinked_out_of_the_folder_is_not_read(tmp_path: Path) -> None:
    elsewhere = tmp_path / "private.nfo"
    elsewhere.write_text("<movie><title>Private notes</title></movie>")
    movie = tmp_path / "films" / "Heist (2001)"
    movie.mkdir(parents=True)
    (movie / "Heist (2001).mkv").write_bytes(b"\x1a\x45\xdf\xa3")
    os.symlink(elsewhere, movie / "movie.nfo")
    assert await NfoSource().read("movie", movie / "Heist (2001).mkv") is None
