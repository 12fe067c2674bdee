"""Fixtures for playback tests: a signed-in user and real media files in a movie library."""

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
from tests.accounts.conftest import bearer, login, make_user
from tests.support.seed import add_file, add_library, add_movie


@dataclass
class Library:
    runtime: Runtime
    root: Path
    library_id: uuid.UUID
    headers: dict[str, str]
    user_id: uuid.UUID

    async def add(self, path: Path) -> tuple[uuid.UUID, uuid.UUID]:
        """Catalogue a file as a movie with its probed streams: (item id, file id)."""
        item_id = await add_movie(self.runtime, self.library_id, path.stem)
        file_id = await add_file(self.runtime, self.library_id, path, item=("movie", item_id))
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
        node.producer.remove(session_id)
