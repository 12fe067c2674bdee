"""Conversions as running processes: streamed as produced, bounded, limited, cancelled."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from revenge.config import Settings
from revenge.errors import ServiceUnavailable
from revenge.playback.audio import converters
from revenge.playback.converter import Job
from revenge.runtime import Runtime
from revenge.testing.auth import USER, HeaderAuthenticator
from revenge.testing.live_server import LiveServer
from revenge.testing.seed import add_library, add_users
from revenge.testing.settings import make_settings
from tests.conftest import truncate_all
from tests.playback.audio_media import make_noise
from tests.playback.conftest import AS_USER, add_audio_item

LONG = 30.0  # seconds of noise: its opus stream is far larger than every buffer on the way


@pytest.fixture(scope="module")
def long_flac(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_noise(tmp_path_factory.mktemp("music") / "Long.flac", LONG)


async def test_output_streams_as_produced_within_bounded_buffers(
    clean_runtime: Runtime, long_flac: Path
) -> None:
    job = Job(str(long_flac), [str(long_flac.parent)], "opus", 128, 0.0)
    conversion = await converters(clean_runtime).start(job, limit=4)
    try:
        first = await conversion.read()
        assert first.startswith(b"OggS")
        await asyncio.sleep(1.0)
        # ~480 KB of opus would be done in well under a second; the child waits on a full
        # pipe instead of converting ahead of its reader.
        assert conversion.proc.returncode is None
        received = len(first)
        while chunk := await conversion.read():
            received += len(chunk)
        assert received > 400_000
    finally:
        await conversion.close()


async def test_limit_refuses_streams_beyond_it(clean_runtime: Runtime, long_flac: Path) -> None:
    pool = converters(clean_runtime)
    job = Job(str(long_flac), [str(long_flac.parent)], "mp3", 64, 10.0)
    first = await pool.start(job, limit=1)
    try:
        with pytest.raises(ServiceUnavailable) as refused:
            await pool.start(job, limit=1)
        assert refused.value.headers["Retry-After"]
    finally:
        await first.close()
    again = await pool.start(job, limit=1)
    await again.close()
    assert pool.active == 0


@pytest.fixture
def live(
    database_url: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    truncate_all(database_url)
    settings: Settings = make_settings(tmp_path_factory.mktemp("live"), database_url, redis_url)
    server = LiveServer(settings, HeaderAuthenticator())
    server.start()
    yield server
    server.stop()


def _active(live: LiveServer) -> int:
    async def count(runtime: Runtime) -> int:
        return converters(runtime).active

    return live.call(count)


def test_client_disconnect_stops_the_conversion(
    live: LiveServer, long_flac: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "revenge.playback.converter")

    async def seed(runtime: Runtime) -> uuid.UUID:
        await add_users(runtime)
        library = await add_library(runtime, "music", long_flac.parent, grant=(USER.user_id,))
        item = await add_audio_item(
            runtime, library, long_flac, duration=LONG, kbps=1400, container="flac"
        )
        return item.file_id

    file_id = live.call(seed)
    url = f"{live.url}/api/v1/stream/{file_id}/audio"
    with (
        httpx.Client(timeout=10) as client,
        client.stream("GET", url, params={"format": "opus"}, headers=AS_USER) as r,
    ):
        assert r.status_code == 200
        assert next(r.iter_raw()).startswith(b"OggS")
        assert _active(live) == 1
    deadline = time.monotonic() + 10
    while _active(live) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _active(live) == 0
    assert any("stopped before its end" in m for m in caplog.messages)
