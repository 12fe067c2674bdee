"""Fixtures for playback tests: signed-in users and real media in granted libraries."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from revenge.libraries.probe import probe_file
from revenge.libraries.scanner.repository import save_probes
from revenge.playback.node import playback_node
from revenge.runtime import Runtime
from revenge.testing.auth import USER, header_auth
from revenge.testing.seed import add_file, add_library, add_movie, add_track, add_users, execute
from tests.accounts.conftest import bearer, login, make_user


@dataclass
class Library:
    runtime: Runtime
    root: Path
    library_id: uuid.UUID
    headers: dict[str, str]
    user_id: uuid.UUID

    async def add(self, path: Path, *, probe: bool = True) -> tuple[uuid.UUID, uuid.UUID]:
        """Catalogue a file as a movie, probed unless `probe` is off: (item id, file id)."""
        item_id = await add_movie(self.runtime, self.library_id, path.stem)
        file_id = await add_file(self.runtime, self.library_id, path, item=("movie", item_id))
        if not probe:
            return item_id, file_id  # as just scanned: analysed when first played
        probed = probe_file(str(path))
        async with self.runtime.db.transaction() as session:
            await save_probes(session, {file_id: probed})
        return item_id, file_id


@pytest.fixture
async def library(
    client: httpx.AsyncClient, clean_runtime: Runtime, tmp_path: Path
) -> AsyncIterator[Library]:
    user_id = uuid.UUID(await make_user(clean_runtime, "viewer"))
    root = tmp_path / "movies"
    library_id = await add_library(clean_runtime, "movie", root, grant=(user_id,))
    signed_in = await login(client, "viewer")
    yield Library(clean_runtime, root, library_id, bearer(signed_in["access_token"]), user_id)
    node = playback_node(clean_runtime)
    for session_id in node.producer.sessions_on_disk():
        await node.producer.remove(session_id)


AS_USER = {"x-test-user": "user"}
AS_ADMIN = {"x-test-user": "admin"}


@dataclass
class AudioItem:
    item_id: uuid.UUID
    file_id: uuid.UUID
    path: Path


@pytest.fixture
async def api(
    client: httpx.AsyncClient, clean_runtime: Runtime
) -> AsyncIterator[httpx.AsyncClient]:
    await add_users(clean_runtime)
    with header_auth(clean_runtime):
        yield client


@pytest.fixture
async def music(api: httpx.AsyncClient, clean_runtime: Runtime, tmp_path: Path) -> uuid.UUID:
    """A music library granted to USER, rooted at tmp_path/music."""
    return await add_library(clean_runtime, "music", tmp_path / "music", grant=(USER.user_id,))


async def add_audio_item(
    runtime: Runtime,
    library_id: uuid.UUID,
    path: Path,
    *,
    duration: float | None,
    kbps: int | None,
    container: str,
) -> AudioItem:
    """A track whose one file is `path`, with the facts a scan would have stored."""
    track_id = await add_track(runtime, library_id, path.stem)
    file_id = await add_file(runtime, library_id, path, kind="audio", item=("track", track_id))
    await execute(
        runtime,
        "UPDATE media_files SET duration_seconds = :d, bit_rate = :b, container = :c,"
        " analysis = 'ok' WHERE id = :i",
        d=duration, b=kbps * 1000 if kbps else None, c=container, i=file_id,
    )  # fmt: skip
    return AudioItem(track_id, file_id, path)
