"""A live server over loopback with a scanned music library, a hidden one, and two users."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image as PILImage
from sqlalchemy import text

from revenge.accounts.service import NewUser
from revenge.config import Settings
from revenge.identity import Principal
from revenge.images import image_service
from revenge.images.repository import link_item_image
from revenge.libraries.scanner.scan import ScanRequest, run_scan
from revenge.libraries.schemas import LibraryIn
from revenge.libraries.service import create_library
from revenge.runtime import Runtime
from revenge.search.service import search_index
from revenge.testing.live_server import LiveServer
from tests.compat.jellyfin_world import jf_world  # noqa: F401  (the Jellyfin tests' server)
from tests.support.media import make_audio

PASSWORD = "correct horse battery staple"


@dataclass
class World:
    server: LiveServer
    api_key: str = ""
    app_password: str = ""
    other_key: str = ""
    ids: dict[str, Any] = field(default_factory=dict)

    @property
    def port(self) -> int:
        return self.server.port

    def native(self, key: str) -> httpx.Client:
        return httpx.Client(base_url=self.server.url, headers={"X-Api-Key": key}, timeout=30)


def _music(root: Path) -> None:
    album = root / "Pink Floyd" / "The Wall (1979)"
    make_audio(album / "01 - In the Flesh.mp3", tags={
        "title": "In the Flesh", "artist": "Pink Floyd", "album": "The Wall", "track": "1",
        "date": "1979", "genre": "Rock", "lyrics": "So ya thought ya\nmight like"})  # fmt: skip
    make_audio(album / "02 - Hey You.flac", tags={
        "title": "Hey You", "artist": "Pink Floyd", "album": "The Wall", "track": "2",
        "date": "1979", "genre": "Rock"})  # fmt: skip
    make_audio(root / "The Beatles" / "Abbey Road" / "01 - Come Together.mp3", tags={
        "title": "Come Together", "artist": "The Beatles", "album": "Abbey Road",
        "track": "1", "date": "1969"})  # fmt: skip


async def _library(rt: Runtime, name: str, kind: str, root: Path) -> uuid.UUID:
    async with rt.db.transaction() as session:
        lib = await create_library(
            session, LibraryIn(name=name, type=kind, paths=[str(root)]), rt.settings.data_dir
        )
        library_id = lib.id
    await run_scan(rt, ScanRequest(library_id, "full"))
    return library_id


async def _cover(rt: Runtime, album_id: uuid.UUID) -> None:
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 64), (200, 30, 30)).save(buffer, "PNG")
    service = image_service(rt)
    facts = await service.acquire_bytes(buffer.getvalue())
    async with rt.db.transaction() as session:
        image_id = await service.record_stored(session, "test:cover", facts)
        await link_item_image(session, "album", album_id, "cover", image_id)


async def _populate(rt: Runtime, tmp: Path, world: World) -> None:
    _music(tmp / "music")
    make_audio(
        tmp / "secret" / "Hidden Artist" / "Hidden Album" / "01 - Secret.mp3",
        tags={"title": "Secret Song", "artist": "Hidden Artist", "album": "Hidden Album"},
    )
    make_audio(tmp / "podcasts" / "Tech Talk" / "Tech Talk - 001 - Hello.mp3")
    music = await _library(rt, "Music", "music", tmp / "music")
    hidden = await _library(rt, "Secret", "music", tmp / "secret")
    podcasts = await _library(rt, "Podcasts", "podcast", tmp / "podcasts")
    async with rt.db.transaction() as session:
        alice = await rt.accounts.users.create(
            session, NewUser("alice", PASSWORD, all_libraries=False)
        )
        admin = await rt.accounts.users.create(session, NewUser("root", PASSWORD, "admin"))
        for lib in (music, podcasts):
            await session.execute(
                text("INSERT INTO library_access (library_id, user_id) VALUES (:l, :u)"),
                {"l": lib, "u": alice.id},
            )
        me = Principal(alice.id, "alice", "user")
        _, world.api_key = await rt.accounts.access_keys.create(
            session, me, name="phone", scopes=["read", "write"], expires_at=None
        )
        boss = Principal(admin.id, "root", "admin")
        _, world.other_key = await rt.accounts.access_keys.create(
            session, boss, name="admin", scopes=["read", "write", "admin"], expires_at=None
        )
        await search_index(rt).rebuild(session)
        album = await session.scalar(text("SELECT id FROM albums WHERE title = 'The Wall'"))
        # Album genres come from the metadata step (embedded tags), which needs the job
        # worker; store what it stores for this album.
        await session.execute(
            text("UPDATE albums SET genres = ARRAY['Rock'] WHERE id = :a"), {"a": album}
        )
        world.ids.update(music=music, hidden=hidden, alice=alice.id, wall=album)
    await _cover(rt, album)


@pytest.fixture
def world(clean_runtime: Runtime, settings: Settings, tmp_path: Path) -> Iterator[World]:
    server = LiveServer(settings)
    server.start()
    try:
        found = World(server)
        server.call(lambda rt: _populate(rt, tmp_path, found), timeout=120)
        with found.native(found.api_key) as client:
            made = client.post("/api/v1/me/app-passwords", json={"name": "DSub"})
            assert made.status_code == 201, made.text
            found.app_password = made.json()["password"]
        yield found
    finally:
        server.stop()
