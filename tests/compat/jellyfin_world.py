"""A live server for the Jellyfin tests: movies, a show, music, a hidden library, two users."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from revenge.accounts.service import NewUser
from revenge.config import Settings
from revenge.identity import Principal
from revenge.libraries.scanner.scan import ScanRequest, run_scan
from revenge.libraries.schemas import LibraryIn
from revenge.libraries.service import create_library
from revenge.runtime import Runtime
from revenge.search.service import search_index
from revenge.testing.live_server import LiveServer
from revenge.testing.video import make_video
from tests.support.media import make_audio

PASSWORD = "correct horse battery staple"


@dataclass
class JellyfinWorld:
    server: LiveServer
    api_key: str = ""
    admin_key: str = ""
    ids: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.server.url


def _media(root: Path) -> None:
    make_video(root / "movies" / "Big Buck Bunny (2008)" / "Big Buck Bunny (2008).mp4", seconds=4)
    make_video(root / "movies" / "Sintel (2010)" / "Sintel (2010).mkv", seconds=2)
    for n in (1, 2):
        make_video(
            root / "tv" / "Night Shift" / "Season 01" / f"Night Shift - S01E0{n}.mkv", seconds=2
        )
    make_video(root / "secret" / "Hidden Movie (2001)" / "Hidden Movie (2001).mp4", seconds=2)
    make_audio(root / "music" / "Pink Floyd" / "The Wall (1979)" / "01 - In the Flesh.mp3",
               tags={"title": "In the Flesh", "artist": "Pink Floyd", "album": "The Wall",
                     "track": "1", "date": "1979"})  # fmt: skip


async def _library(rt: Runtime, name: str, kind: str, root: Path) -> uuid.UUID:
    async with rt.db.transaction() as session:
        lib = await create_library(
            session, LibraryIn(name=name, type=kind, paths=[str(root)]), rt.settings.data_dir
        )
        library_id = lib.id
    await run_scan(rt, ScanRequest(library_id, "full"))
    return library_id


async def _populate(rt: Runtime, tmp: Path, world: JellyfinWorld) -> None:
    _media(tmp)
    libs = {
        "movies": await _library(rt, "Movies", "movie", tmp / "movies"),
        "tv": await _library(rt, "Shows", "tv", tmp / "tv"),
        "music": await _library(rt, "Music", "music", tmp / "music"),
        "secret": await _library(rt, "Secret", "movie", tmp / "secret"),
    }
    async with rt.db.transaction() as session:
        alice = await rt.accounts.users.create(
            session, NewUser("alice", PASSWORD, all_libraries=False)
        )
        root = await rt.accounts.users.create(session, NewUser("root", PASSWORD, "admin"))
        _, world.admin_key = await rt.accounts.access_keys.create(
            session, Principal(root.id, "root", "admin"), name="admin",
            scopes=["read", "write", "admin"], expires_at=None,
        )  # fmt: skip
        for name in ("movies", "tv", "music"):
            await session.execute(
                text("INSERT INTO library_access (library_id, user_id) VALUES (:l, :u)"),
                {"l": libs[name], "u": alice.id},
            )
        _, world.api_key = await rt.accounts.access_keys.create(
            session, Principal(alice.id, "alice", "user"), name="tests",
            scopes=["read", "write"], expires_at=None,
        )  # fmt: skip
        await search_index(rt).rebuild(session)
        hidden = await session.scalar(text("SELECT id FROM movies WHERE title = 'Hidden Movie'"))
        bunny = await session.scalar(text("SELECT id FROM movies WHERE title = 'Big Buck Bunny'"))
        world.ids.update(libs, alice=alice.id, hidden_movie=hidden, bunny=bunny)


@pytest.fixture
def jf_world(clean_runtime: Runtime, settings: Settings, tmp_path: Path) -> Iterator[JellyfinWorld]:
    server = LiveServer(settings)
    server.start()
    try:
        found = JellyfinWorld(server)
        server.call(lambda rt: _populate(rt, tmp_path, found), timeout=180)
        yield found
    finally:
        server.stop()
