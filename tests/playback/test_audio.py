"""Audio for phones: files as they are, or converted while they play, seeking by time."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.responses import Response

from revenge.errors import NotFound
from revenge.playback.audio import AudioRequest, stream_item_audio
from revenge.playback.signing import MediaCaller
from revenge.runtime import Runtime
from revenge.testing.seed import OTHER_USER, add_file, add_library, add_movie, execute
from tests.playback.audio_media import decode, loud_from, make_noise
from tests.playback.conftest import AS_USER, AudioItem, add_audio_item

SECONDS = 4.0
CODECS = {"opus": ("ogg", "opus", "audio/ogg"), "aac": ("aac", "aac", "audio/aac"),
          "mp3": ("mp3", "mp3float", "audio/mpeg")}  # fmt: skip


async def _item(runtime: Runtime, library_id: uuid.UUID, root: Path, name: str) -> AudioItem:
    path = make_noise(root / "Artist" / "Album" / name, SECONDS)
    container = "flac" if name.endswith(".flac") else "mp3"
    return await add_audio_item(
        runtime, library_id, path, duration=SECONDS, kbps=320 if container == "mp3" else 1400,
        container=container,
    )  # fmt: skip


@pytest.mark.parametrize("source", ["flac", "mp3"])
async def test_converted_to_each_format_at_the_requested_bitrate(
    api: httpx.AsyncClient, clean_runtime: Runtime, music: uuid.UUID, tmp_path: Path, source: str
) -> None:
    item = await _item(clean_runtime, music, tmp_path / "music", f"Song.{source}")
    for fmt, kbps in (("opus", 96), ("aac", 128), ("mp3", 96)):
        r = await api.get(
            f"/api/v1/stream/{item.file_id}/audio",
            params={"format": fmt, "max_bitrate": kbps}, headers=AS_USER,
        )  # fmt: skip
        assert r.status_code == 200, r.text
        container, codec, content_type = CODECS[fmt]
        assert r.headers["content-type"] == content_type
        assert r.headers["accept-ranges"] == "none"
        found_container, found_codec, seconds, _ = decode(r.content)
        assert (found_container, found_codec) == (container, codec)
        assert seconds == pytest.approx(SECONDS, abs=0.1)
        rate = len(r.content) * 8 / seconds / 1000
        assert 0.75 * kbps <= rate <= 1.1 * kbps, (fmt, rate)


@pytest.mark.parametrize(("source", "fmt"), [("flac", "opus"), ("mp3", "mp3"), ("flac", "aac")])
async def test_offset_starts_the_stream_at_that_time(
    api: httpx.AsyncClient, clean_runtime: Runtime, music: uuid.UUID, tmp_path: Path,
    source: str, fmt: str,
) -> None:  # fmt: skip
    # Silent for 3 s, then noise until 6 s: where the noise starts shows where a stream began.
    path = make_noise(tmp_path / "music" / f"Timeline.{source}", 6.0, quiet_until=3.0)
    item = await add_audio_item(
        clean_runtime, music, path, duration=6.0, kbps=900, container=source
    )
    for offset, noise_at in ((2.5, 0.5), (1.0, 2.0), (4.0, 0.0)):
        r = await api.get(
            f"/api/v1/stream/{item.file_id}/audio",
            params={"format": fmt, "offset": offset}, headers=AS_USER,
        )  # fmt: skip
        assert r.status_code == 200, r.text
        assert float(r.headers["x-content-duration"]) == pytest.approx(6.0 - offset)
        _, _, seconds, levels = decode(r.content)
        assert seconds == pytest.approx(6.0 - offset, abs=0.1)
        assert loud_from(levels) == pytest.approx(noise_at, abs=0.1), (offset, levels[:12])


async def test_files_sent_as_they_are_when_they_fit(
    api: httpx.AsyncClient, clean_runtime: Runtime, music: uuid.UUID, tmp_path: Path
) -> None:
    flac = await _item(clean_runtime, music, tmp_path / "music", "Lossless.flac")
    mp3 = await _item(clean_runtime, music, tmp_path / "music", "Lossy.mp3")
    url = f"/api/v1/stream/{flac.file_id}/audio"
    whole = await api.get(url, params={"format": "original"}, headers=AS_USER)
    assert whole.status_code == 200
    assert whole.headers["content-type"] == "audio/flac"
    assert whole.content == flac.path.read_bytes()
    part = await api.get(url, headers={**AS_USER, "Range": "bytes=10-19"})
    assert part.status_code == 206 and part.content == flac.path.read_bytes()[10:20]
    # An mp3 within the limit asked for stays as it is; below its bitrate it is converted.
    mp3_url = f"/api/v1/stream/{mp3.file_id}/audio"
    same = await api.get(mp3_url, params={"format": "mp3", "max_bitrate": 320}, headers=AS_USER)
    assert same.content == mp3.path.read_bytes()
    smaller = await api.get(mp3_url, params={"max_bitrate": 64}, headers=AS_USER)
    assert smaller.headers["content-type"] == "audio/ogg"
    assert len(smaller.content) < len(mp3.path.read_bytes()) / 3


async def test_bad_requests_are_refused_with_a_problem(
    api: httpx.AsyncClient, clean_runtime: Runtime, music: uuid.UUID, tmp_path: Path
) -> None:
    item = await _item(clean_runtime, music, tmp_path / "music", "Song.flac")
    url = f"/api/v1/stream/{item.file_id}/audio"
    for params in (
        {"format": "wav"}, {"max_bitrate": -1}, {"max_bitrate": 10**12}, {"max_bitrate": 3},
        {"offset": -1}, {"offset": "inf"}, {"offset": "nan"}, {"offset": 1e300},
        {"offset": SECONDS + 1, "format": "opus"}, {"format": "original", "offset": 1},
    ):  # fmt: skip
        r = await api.get(url, params=params, headers=AS_USER)
        assert r.status_code == 400, (params, r.text)
        assert r.headers["content-type"] == "application/problem+json"
    # Past the end of a file whose length the scan did not learn: found out while decoding.
    await execute(clean_runtime, "UPDATE media_files SET duration_seconds = NULL")
    r = await api.get(url, params={"offset": SECONDS + 1, "format": "aac"}, headers=AS_USER)
    assert r.status_code == 400, r.text
    movie = await add_movie(clean_runtime, music, "Not audio")
    video = tmp_path / "music" / "Not audio.mkv"
    video.write_bytes(b"not audio")
    video_file = await add_file(clean_runtime, music, video, item=("movie", movie))
    for missing in (uuid.uuid4(), video_file):
        r = await api.get(f"/api/v1/stream/{missing}/audio", headers=AS_USER)
        assert r.status_code == 404
    # A user without access to the library sees nothing there.
    r = await api.get(url, headers={"x-test-user": str(OTHER_USER)})
    assert r.status_code in (401, 404)


async def test_corrupt_and_missing_files_answer_a_problem(
    api: httpx.AsyncClient, clean_runtime: Runtime, music: uuid.UUID, tmp_path: Path
) -> None:
    root = tmp_path / "music"
    garbage = root / "Broken.flac"
    garbage.parent.mkdir(parents=True, exist_ok=True)
    garbage.write_bytes(b"fLaC" + bytes(range(256)) * 40)
    truncated = make_noise(root / "Cut.mp3", 1.0)
    truncated.write_bytes(truncated.read_bytes()[:300])
    for path in (garbage, truncated):
        item = await add_audio_item(
            clean_runtime, music, path, duration=1.0, kbps=900, container=path.suffix[1:]
        )
        r = await api.get(
            f"/api/v1/stream/{item.file_id}/audio", params={"format": "opus"}, headers=AS_USER
        )
        assert r.status_code == 422, (path.name, r.status_code, r.text)
        assert r.headers["content-type"] == "application/problem+json"
        assert "cannot be decoded" in r.json()["detail"]
    gone = await _item(clean_runtime, music, root, "Gone.flac")
    gone.path.unlink()
    for fmt in ("opus", "original"):
        r = await api.get(
            f"/api/v1/stream/{gone.file_id}/audio", params={"format": fmt}, headers=AS_USER
        )
        assert r.status_code == 410, fmt


async def test_a_file_outside_the_library_is_never_read(
    api: httpx.AsyncClient, clean_runtime: Runtime, music: uuid.UUID, tmp_path: Path
) -> None:
    outside = make_noise(tmp_path / "private" / "secret.flac", 1.0)
    link = tmp_path / "music" / "Innocent.flac"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(outside)
    item = await add_audio_item(
        clean_runtime, music, link, duration=1.0, kbps=900, container="flac"
    )
    for fmt in ("opus", "original"):
        r = await api.get(
            f"/api/v1/stream/{item.file_id}/audio", params={"format": fmt}, headers=AS_USER
        )
        assert r.status_code == 404, fmt


async def _set_limit(runtime: Runtime, value: int) -> None:
    async with runtime.db.transaction() as session:
        await runtime.server_settings.set(session, "transcoding.audio_max_concurrent", value, None)
    runtime.server_settings.invalidate()


async def test_conversion_limit_and_switch(
    api: httpx.AsyncClient, clean_runtime: Runtime, music: uuid.UUID, tmp_path: Path
) -> None:
    item = await _item(clean_runtime, music, tmp_path / "music", "Song.flac")
    url = f"/api/v1/stream/{item.file_id}/audio"
    await _set_limit(clean_runtime, 0)
    r = await api.get(url, params={"format": "opus"}, headers=AS_USER)
    assert r.status_code == 503 and "retry-after" in r.headers
    # Files that need no conversion still play.
    assert (await api.get(url, params={"format": "original"}, headers=AS_USER)).status_code == 200
    await _set_limit(clean_runtime, 1)
    assert (await api.get(url, params={"format": "opus"}, headers=AS_USER)).status_code == 200


async def test_every_audio_item_kind_plays(
    api: httpx.AsyncClient, clean_runtime: Runtime, tmp_path: Path
) -> None:
    from revenge.testing.auth import USER
    from revenge.testing.seed import add_audiobook, add_podcast_episode

    for kind, make in (("audiobook", add_audiobook), ("podcast", add_podcast_episode)):
        root = tmp_path / kind
        library = await add_library(clean_runtime, kind, root, grant=(USER.user_id,))
        item_id = await make(clean_runtime, library, "Title")
        path = make_noise(root / "Title" / "01.mp3", 1.0, kbps=64)
        item_kind = "audiobook" if kind == "audiobook" else "podcast_episode"
        file_id = await add_file(
            clean_runtime, library, path, kind="audio", item=(item_kind, item_id)
        )
        r = await api.get(
            f"/api/v1/stream/{file_id}/audio", params={"format": "aac", "max_bitrate": 48},
            headers=AS_USER,
        )  # fmt: skip
        assert r.status_code == 200, (kind, r.text)
        assert decode(r.content)[1] == "aac"


async def test_signed_media_url_plays_without_headers(
    api: httpx.AsyncClient, clean_runtime: Runtime, music: uuid.UUID, tmp_path: Path
) -> None:
    song = await _item(clean_runtime, music, tmp_path / "music", "Song.mp3")
    other = await _item(clean_runtime, music, tmp_path / "music", "Other.mp3")
    issued = await api.post(f"/api/v1/stream/{song.file_id}/token", headers=AS_USER)
    token = issued.json()["token"]
    url = f"/api/v1/stream/{song.file_id}/audio"
    r = await api.get(url, params={"token": token, "format": "opus", "max_bitrate": 64})
    assert r.status_code == 200 and decode(r.content)[1] == "opus"
    # A token opens only the file it was issued for; no token, no audio.
    r = await api.get(f"/api/v1/stream/{other.file_id}/audio", params={"token": token})
    assert r.status_code == 401
    assert (await api.get(url)).status_code == 401


async def test_protocol_adapters_stream_an_item_by_its_id(
    api: httpx.AsyncClient, clean_runtime: Runtime, tmp_path: Path
) -> None:
    """What Subsonic's `stream` calls: an item id, format, bitrate and offset -> a response."""
    from revenge.testing.auth import USER
    from revenge.testing.seed import add_audiobook

    root = tmp_path / "books"
    library = await add_library(clean_runtime, "audiobook", root, grant=(USER.user_id,))
    book = await add_audiobook(clean_runtime, library, "Book")
    parts = []
    for part in (2, 1):  # catalogued out of order: playing order is by part
        path = make_noise(root / "Book" / f"Part {part}.mp3", 1.0 + part, kbps=64)
        file_id = await add_file(
            clean_runtime, library, path, kind="audio", item=("audiobook", book)
        )
        await execute(
            clean_runtime, "UPDATE media_files SET part = :p WHERE id = :i", p=part, i=file_id
        )
        parts.append(file_id)
    user = MediaCaller(USER.user_id, False, None, None, False)
    request = AudioRequest.parse("mp3", 32, None)
    first = await _body(await stream_item_audio(clean_runtime, user, book, request))
    assert decode(first)[2] == pytest.approx(2.0, abs=0.1)  # part 1 lasts 2 s
    second = await _body(await stream_item_audio(clean_runtime, user, book, request, parts[0]))
    assert decode(second)[2] == pytest.approx(3.0, abs=0.1)
    stranger = MediaCaller(OTHER_USER, False, None, None, False)
    with pytest.raises(NotFound):
        await stream_item_audio(clean_runtime, stranger, book, request)


async def _body(response: Response) -> bytes:
    """Run an ASGI response as a server would and collect what it sends."""
    sent: list[bytes] = []

    async def receive() -> dict[str, Any]:
        await asyncio.sleep(3600)  # the client never leaves
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body":
            sent.append(message.get("body", b""))

    scope = {"type": "http", "method": "GET", "headers": [], "extensions": {}}
    await response(scope, receive, send)
    return b"".join(sent)
