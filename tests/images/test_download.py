"""`images.download`: stored once by content, refusals recorded with their reason."""

from __future__ import annotations

import uuid
from pathlib import Path

import psycopg
import pytest

from revenge.images.errors import ImageRefused
from revenge.images.jobs import download
from revenge.images.service import ImageService
from revenge.infra.jobs.context import JobContext
from revenge.libraries.schemas import LibraryIn
from revenge.libraries.service import create_library
from revenge.runtime import Runtime
from revenge.testing.fake_api import FakeApi, Reply
from tests.images.samples import NOT_AN_IMAGE, SVG, encoded, png_bomb
from tests.metadata.test_embedded import tag_mp3
from tests.support.audio import write_silence


def ctx(runtime: Runtime) -> JobContext:
    return JobContext(runtime=runtime, job_id=0, task="images.download", attempt=1)


def rows(runtime: Runtime, sql: str) -> list[tuple[object, ...]]:
    with psycopg.connect(runtime.db.url) as conn:
        return list(conn.execute(sql))


async def test_identical_images_are_stored_once(
    clean_runtime: Runtime, images: ImageService, server: FakeApi
) -> None:
    poster = encoded("JPEG", (200, 300))
    server.on("GET", "/a/poster.jpg", Reply(body=poster, headers={"Content-Type": "image/jpeg"}))
    server.on("GET", "/b/same.jpg", Reply(body=poster, headers={"Content-Type": "image/jpeg"}))
    await download(ctx(clean_runtime), {"url": f"{server.url}/a/poster.jpg"})
    await download(ctx(clean_runtime), {"url": f"{server.url}/b/same.jpg"})
    await download(ctx(clean_runtime), {"url": f"{server.url}/a/poster.jpg"})  # already stored
    stored = rows(
        clean_runtime, "SELECT id, width, height, format, blurhash, dominant_color FROM images"
    )
    assert len(stored) == 1
    _, width, height, fmt, blurhash, colour = stored[0]
    assert (width, height, fmt) == (200, 300, "jpeg") and blurhash and str(colour).startswith("#")
    sources = rows(clean_runtime, "SELECT status, image_id FROM image_sources")
    assert len(sources) == 2 and {s[1] for s in sources} == {stored[0][0]}
    assert len(server.calls("/a/poster.jpg")) == 1
    files = await images.store.storage.list_prefix("images/originals/")
    assert len(files) == 1 and files[0].key.endswith(".jpg")
    assert await images.store.storage.get(files[0].key) == poster


@pytest.mark.parametrize(
    ("path", "body", "code"),
    [
        ("/bomb.png", png_bomb(), "too_many_pixels"),
        ("/logo.svg", SVG, "svg"),
        ("/poster.jpg", NOT_AN_IMAGE, "not_image"),
        ("/redirect.jpg", None, "private_address"),
    ],
)
async def test_refusals_are_recorded_with_the_reason(
    clean_runtime: Runtime,
    images: ImageService,
    server: FakeApi,
    path: str,
    body: bytes | None,
    code: str,
) -> None:
    if body is None:
        server.on(
            "GET", path, Reply(302, b"", {"Location": "http://169.254.169.254/latest/meta-data/"})
        )
    else:
        server.on("GET", path, Reply(body=body, headers={"Content-Type": "image/jpeg"}))
    url = f"{server.url}{path}"
    await download(ctx(clean_runtime), {"url": url})
    recorded = rows(clean_runtime, "SELECT source, status, reason, image_id FROM image_sources")
    assert len(recorded) == 1
    source, status, reason, image_id = recorded[0]
    assert (source, status, image_id) == (url, "refused", None)
    assert str(reason).startswith(f"{code}: ")
    assert rows(clean_runtime, "SELECT count(*) FROM images") == [(0,)]
    assert await images.store.storage.list_prefix("images/originals/") == []


async def test_server_errors_are_retried_by_the_queue(
    clean_runtime: Runtime, images: ImageService, server: FakeApi
) -> None:
    server.on("GET", "/flaky.jpg", Reply(503, b"busy"))
    with pytest.raises(ImageRefused):
        await download(ctx(clean_runtime), {"url": f"{server.url}/flaky.jpg"})
    assert rows(clean_runtime, "SELECT status, reason FROM image_sources") == [
        ("failed", "http_error: HTTP 503")
    ]


async def test_local_file_and_embedded_cover(
    clean_runtime: Runtime, images: ImageService, tmp_path: Path
) -> None:
    poster = tmp_path / "poster.jpg"
    poster.write_bytes(encoded("JPEG", (60, 90), (0, 0, 200)))
    song = write_silence(tmp_path / "track.mp3")
    tag_mp3(song)
    async with clean_runtime.db.transaction() as session:  # local files: only in a library
        data = LibraryIn(name="Local", type="music", paths=[str(tmp_path)])
        await create_library(session, data, clean_runtime.settings.data_dir)
    linked: list[tuple[dict[str, str], uuid.UUID]] = []

    class Linker:
        async def link(self, session: object, target: dict[str, str], image_id: uuid.UUID) -> None:
            linked.append((target, image_id))

    previous = clean_runtime.image_linker
    clean_runtime.image_linker = Linker()
    try:
        await download(
            ctx(clean_runtime), {"path": str(poster), "target": {"item_id": "m1", "kind": "poster"}}
        )
        await download(ctx(clean_runtime), {"embedded": str(song)})
    finally:
        clean_runtime.image_linker = previous
    sources = dict(rows(clean_runtime, "SELECT source, status FROM image_sources"))
    assert sources == {f"file:{poster}": "stored", f"embedded:{song}": "stored"}
    assert rows(clean_runtime, "SELECT count(*) FROM images") == [(2,)]
    assert linked and linked[0][0] == {"item_id": "m1", "kind": "poster"}
