"""A failed transcode is announced to administrators as `playback.transcode.failed`, and an
administrator stopping a playback is streamed live as `playback.session`."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx

from revenge.playback import repository as playback_repo
from revenge.playback import service as playback
from revenge.runtime import Runtime
from revenge.testing.seed import add_file, add_library, add_movie
from tests.events.sse import SseClient
from tests.support.actors import Actors
from tests.support.media import make_video


async def _file(runtime: Runtime, tmp_path: Path) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    root = tmp_path / "films"
    path = make_video(root / "Heat (1995).mkv", seconds=0.2)
    library = await add_library(runtime, "movie", root)
    movie = await add_movie(runtime, library, "Heat")
    return library, movie, await add_file(runtime, library, path, item=("movie", movie))


async def test_a_failed_transcode_reaches_administrators_only(
    actors: Actors, served: str, clean_runtime: Runtime, tmp_path: Path
) -> None:
    library, _, file_id = await _file(clean_runtime, tmp_path)
    async with (
        SseClient(served, actors.as_admin) as admin,
        SseClient(served, actors.as_user) as user,
    ):
        async with clean_runtime.db.transaction() as session:
            await playback.record_playback_failure(
                clean_runtime, session, file_id, actors.user.user_id, "decoding failed"
            )
        await admin.wait(lambda c: bool(c.of("playback.transcode.failed")))
    (failed,) = admin.of("playback.transcode.failed")
    assert failed.data["data"]["reason"] == "decoding failed"
    assert failed.data["data"]["library_id"] == str(library)
    assert failed.data["data"]["media_file_id"] == str(file_id)
    assert "alice" in failed.data["message"]
    assert user.of("playback.transcode.failed") == []


async def test_an_admin_stopping_a_playback_is_streamed_live(
    client: httpx.AsyncClient, actors: Actors, served: str, clean_runtime: Runtime,
    tmp_path: Path,
) -> None:  # fmt: skip
    _, movie, file_id = await _file(clean_runtime, tmp_path)
    async with clean_runtime.db.transaction() as session:
        live = await playback_repo.insert_session(session, {
            "user_id": actors.user.user_id, "media_file_id": file_id, "item_kind": "movie",
            "item_id": movie, "method": "direct", "plan": {},
        })  # fmt: skip
    async with SseClient(served, actors.as_admin) as admin:
        r = await client.delete(
            f"/api/v1/admin/playback/sessions/{live.id}", headers=actors.as_admin
        )
        assert r.status_code == 204, r.text
        await admin.wait(lambda c: bool(c.of("playback.session")))
    (stopped,) = admin.of("playback.session")
    assert stopped.data["data"]["playback_session_id"] == str(live.id)
    assert stopped.data["data"]["method"] == "direct"
