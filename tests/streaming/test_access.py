"""Who may stream what: library grants, symlink escapes, stream tokens, missing files."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

import httpx
import pytest

from revenge.identity import Principal
from revenge.playback.signing import file_scope, signer
from revenge.runtime import Runtime
from revenge.streaming.routes import recent_grants
from revenge.testing.auth import ADMIN, USER
from revenge.testing.seed import OTHER_USER, add_file, add_library, add_movie, execute
from tests.streaming.conftest import AS_ADMIN, AS_USER, CONTENT, Media


async def test_anonymous_is_401(api: httpx.AsyncClient, media: Media) -> None:
    r = await api.get(f"/api/v1/stream/{media.file_id}")
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"


async def test_user_without_access_gets_404(
    api: httpx.AsyncClient, clean_runtime: Runtime, tmp_path: Path
) -> None:
    root = tmp_path / "private"
    library_id = await add_library(clean_runtime, "movie", root)
    path = root / "Secret.mkv"
    path.write_bytes(b"secret")
    file_id = await add_file(clean_runtime, library_id, path)
    r = await api.get(f"/api/v1/stream/{file_id}", headers=AS_USER)
    assert r.status_code == 404
    tok = await api.post(f"/api/v1/stream/{file_id}/token", headers=AS_USER)
    assert tok.status_code == 404
    subs = await api.get(f"/api/v1/stream/{file_id}/subtitles", headers=AS_USER)
    assert subs.status_code == 404
    admin = await api.get(f"/api/v1/stream/{file_id}", headers=AS_ADMIN)
    assert (admin.status_code, admin.content) == (200, b"secret")


async def test_unknown_file_is_404_and_missing_file_is_410(
    api: httpx.AsyncClient, clean_runtime: Runtime, media: Media
) -> None:
    r = await api.get(f"/api/v1/stream/{uuid.uuid4()}", headers=AS_USER)
    assert r.status_code == 404
    bad = await api.get("/api/v1/stream/not-a-uuid", headers=AS_USER)
    assert bad.status_code == 422
    media.path.unlink()
    gone = await api.get(f"/api/v1/stream/{media.file_id}", headers=AS_USER)
    assert gone.status_code == 410
    assert gone.headers["content-type"] == "application/problem+json"
    assert "missing" in gone.json()["detail"]
    await execute(clean_runtime, "UPDATE media_files SET missing_since = now()")
    media.path.write_bytes(CONTENT)
    recent_grants(clean_runtime).clear()  # as GRANT_SECONDS after the change
    marked = await api.get(f"/api/v1/stream/{media.file_id}", headers=AS_USER)
    assert marked.status_code == 410
    assert marked.json()["missing_since"] is not None
    assert "rescan" in marked.json()["detail"]


async def test_user_who_sees_all_libraries_may_stream_without_a_grant(
    api: httpx.AsyncClient, clean_runtime: Runtime, tmp_path: Path
) -> None:
    """The default account mode ("all libraries") lists a movie, so it plays it too."""
    root = tmp_path / "everyone"
    library_id = await add_library(clean_runtime, "movie", root)
    path = root / "Open.mkv"
    path.write_bytes(b"open to all")
    movie = await add_movie(clean_runtime, library_id, "Open")
    file_id = await add_file(clean_runtime, library_id, path, item=("movie", movie))
    await execute(
        clean_runtime, "UPDATE users SET all_libraries = true WHERE id = :u", u=USER.user_id
    )
    listed = (await api.get("/api/v1/movies", headers=AS_USER)).json()
    assert [m["title"] for m in listed["items"]] == ["Open"]
    played = await api.get(f"/api/v1/stream/{file_id}", headers=AS_USER)
    assert (played.status_code, played.content) == (200, b"open to all")
    token = await api.post(f"/api/v1/stream/{file_id}/token", headers=AS_USER)
    assert token.status_code == 200
    subs = await api.get(f"/api/v1/stream/{file_id}/subtitles", headers=AS_USER)
    assert subs.status_code == 200


async def test_symlink_swapped_to_outside_after_scan_is_refused(
    api: httpx.AsyncClient, clean_runtime: Runtime, media: Media
) -> None:
    link = media.root / "Linked.mkv"
    link.symlink_to(media.path)
    file_id = await add_file(clean_runtime, media.library_id, link)
    ok = await api.get(f"/api/v1/stream/{file_id}", headers=AS_USER)
    assert (ok.status_code, ok.content) == (200, CONTENT)
    link.unlink()
    link.symlink_to("/etc/passwd")
    refused = await api.get(f"/api/v1/stream/{file_id}", headers=AS_ADMIN)
    assert refused.status_code == 404
    assert b"root" not in refused.content


async def test_folder_swapped_to_outside_is_refused(
    api: httpx.AsyncClient, clean_runtime: Runtime, media: Media, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "Heat (1995).mkv").write_bytes(b"not yours")
    os.rename(media.path.parent, tmp_path / "moved-away")
    media.path.parent.symlink_to(outside)
    r = await api.get(f"/api/v1/stream/{media.file_id}", headers=AS_ADMIN)
    assert r.status_code == 404


async def test_stream_token_reads_only_its_file(
    api: httpx.AsyncClient, clean_runtime: Runtime, media: Media
) -> None:
    other_path = media.root / "Other.mkv"
    other_path.write_bytes(b"other file")
    other_id = await add_file(clean_runtime, media.library_id, other_path)
    issued = await api.post(f"/api/v1/stream/{media.file_id}/token", headers=AS_USER)
    assert issued.status_code == 200
    token = issued.json()["token"]
    assert issued.json()["expires_at"] > time.time()
    r = await api.get(issued.json()["url"], headers={"range": "bytes=0-3"})
    assert (r.status_code, r.content) == (206, CONTENT[:4])
    cross = await api.get(f"/api/v1/stream/{other_id}", params={"token": token})
    assert cross.status_code == 401
    forged = await api.get(f"/api/v1/stream/{media.file_id}", params={"token": token[:-2] + "AA"})
    assert forged.status_code == 401
    anonymous = await api.post(f"/api/v1/stream/{media.file_id}/token")
    assert anonymous.status_code == 401


async def test_expired_token_is_refused(
    api: httpx.AsyncClient, clean_runtime: Runtime, media: Media, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = signer(clean_runtime).issue(USER, file_scope(media.file_id), ttl=60)
    real = time.time
    monkeypatch.setattr("revenge.playback.signing.time.time", lambda: real() + 61)
    r = await api.get(f"/api/v1/stream/{media.file_id}", params={"token": fresh})
    assert r.status_code == 401
    monkeypatch.undo()
    ok = await api.get(f"/api/v1/stream/{media.file_id}", params={"token": fresh})
    assert ok.status_code == 200


async def test_token_stops_working_when_access_is_revoked(
    api: httpx.AsyncClient, clean_runtime: Runtime, media: Media
) -> None:
    token = signer(clean_runtime).issue(USER, file_scope(media.file_id))
    await execute(clean_runtime, "DELETE FROM library_access")
    r = await api.get(f"/api/v1/stream/{media.file_id}", params={"token": token})
    assert r.status_code == 404
    other = signer(clean_runtime).issue(
        Principal(OTHER_USER, "other", "user"), file_scope(media.file_id)
    )
    assert (
        await api.get(f"/api/v1/stream/{media.file_id}", params={"token": other})
    ).status_code == 404
    await execute(clean_runtime, "UPDATE users SET disabled = true")
    admin_token = signer(clean_runtime).issue(ADMIN, file_scope(media.file_id))
    disabled = await api.get(f"/api/v1/stream/{media.file_id}", params={"token": admin_token})
    assert disabled.status_code == 401
