"""Signed media URLs: bound to a user, a scope, the session that asked, and an expiry."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import httpx
import pytest

from revenge.playback.signing import file_scope, image_scope, signer
from revenge.runtime import Runtime
from revenge.streaming.routes import recent_grants
from revenge.testing.seed import add_file, add_library, execute
from tests.accounts.conftest import bearer, login, make_user

CONTENT = b"0123456789" * 1000


async def _setup(client: httpx.AsyncClient, runtime: Runtime, tmp_path: Path) -> tuple[str, ...]:
    """A user signed in, two files of a library granted to them, and a URL for the first."""
    user_id = await make_user(runtime, "viewer")
    root = tmp_path / "movies"
    library_id = await add_library(runtime, "movie", root, grant=(uuid.UUID(user_id),))
    files = []
    for name in ("A.mkv", "B.mkv"):
        (root / name).write_bytes(CONTENT)
        files.append(await add_file(runtime, library_id, root / name))
    signed_in = await login(client, "viewer")
    access = signed_in["access_token"]
    issued = await client.post(f"/api/v1/stream/{files[0]}/token", headers=bearer(access))
    assert issued.status_code == 200, issued.text
    return user_id, access, issued.json()["url"], issued.json()["token"], str(files[1])


async def test_a_signed_url_plays_without_headers_and_only_its_file(
    client: httpx.AsyncClient, clean_runtime: Runtime, tmp_path: Path
) -> None:
    _, access, url, token, other = await _setup(client, clean_runtime, tmp_path)
    assert token not in access and access not in url
    ok = await client.get(url, headers={"range": "bytes=0-9"})
    assert (ok.status_code, ok.content) == (206, CONTENT[:10])
    cross = await client.get(f"/api/v1/stream/{other}", params={"token": token})
    assert cross.status_code == 401
    assert cross.headers["content-type"] == "application/problem+json"
    session_as_token = await client.get(f"/api/v1/stream/{other}", params={"token": access})
    assert session_as_token.status_code == 401


async def test_a_signed_url_dies_with_its_session(
    client: httpx.AsyncClient, clean_runtime: Runtime, tmp_path: Path
) -> None:
    _, access, url, _, _ = await _setup(client, clean_runtime, tmp_path)
    assert (await client.get(url)).status_code == 200
    out = await client.post("/api/v1/auth/logout", headers=bearer(access))
    assert out.status_code == 204
    recent_grants(clean_runtime).clear()  # as GRANT_SECONDS after the logout
    assert (await client.get(url)).status_code == 401


async def test_a_signed_url_dies_when_its_user_is_disabled(
    client: httpx.AsyncClient, clean_runtime: Runtime, tmp_path: Path
) -> None:
    user_id, _, url, _, _ = await _setup(client, clean_runtime, tmp_path)
    assert (await client.get(url)).status_code == 200
    # Straight in the table: the user check holds even if no session were revoked with it.
    await execute(clean_runtime, "UPDATE users SET disabled = true WHERE id = :i", i=user_id)
    recent_grants(clean_runtime).clear()
    assert (await client.get(url)).status_code == 401


async def test_an_expired_signed_url_is_refused(
    client: httpx.AsyncClient,
    clean_runtime: Runtime,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, _, url, _, _ = await _setup(client, clean_runtime, tmp_path)
    real = time.time
    monkeypatch.setattr("revenge.playback.signing.time.time", lambda: real() + 3 * 3600)
    recent_grants(clean_runtime).clear()
    assert (await client.get(url)).status_code == 401


async def test_a_token_from_another_server_key_is_refused(
    client: httpx.AsyncClient, clean_runtime: Runtime, tmp_path: Path
) -> None:
    _, _, url, token, _ = await _setup(client, clean_runtime, tmp_path)
    forged = url.replace(token, token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"))
    assert (await client.get(forged)).status_code == 401
    assert signer(clean_runtime).verify(token, file_scope("x")) is None


async def test_images_take_a_signed_url_for_that_image_only(
    client: httpx.AsyncClient, clean_runtime: Runtime, tmp_path: Path
) -> None:
    from revenge.identity import Principal

    image_id = uuid.uuid4()
    await make_user(clean_runtime, "looker")
    signed_in = await login(client, "looker")
    me = await client.get("/api/v1/users/me", headers=bearer(signed_in["access_token"]))
    principal = Principal(
        uuid.UUID(me.json()["id"]), "looker", "user", session_id=uuid.UUID(signed_in["session_id"])
    )
    token = signer(clean_runtime).issue(principal, image_scope(image_id))
    # Authenticated by the token: the answer is about the image (none stored), not a 401.
    found = await client.get(f"/api/v1/images/{image_id}", params={"token": token})
    assert found.status_code == 404, found.text
    other = await client.get(f"/api/v1/images/{uuid.uuid4()}", params={"token": token})
    assert other.status_code == 401
    assert (await client.get(f"/api/v1/images/{image_id}")).status_code == 401
    await client.post("/api/v1/auth/logout", headers=bearer(signed_in["access_token"]))
    revoked = await client.get(f"/api/v1/images/{image_id}", params={"token": token})
    assert revoked.status_code == 401


async def test_a_url_asked_for_with_an_access_key_dies_with_the_key(
    client: httpx.AsyncClient, clean_runtime: Runtime, tmp_path: Path
) -> None:
    _, access, _, _, other = await _setup(client, clean_runtime, tmp_path)
    made = await client.post(
        "/api/v1/access-keys", json={"name": "vlc", "scopes": ["read", "write"]},
        headers=bearer(access),
    )  # fmt: skip
    assert made.status_code == 201, made.text
    key = {"X-Api-Key": made.json()["key"]}
    issued = await client.post(f"/api/v1/stream/{other}/token", headers=key)
    assert issued.status_code == 200, issued.text
    url = issued.json()["url"]
    assert (await client.get(url)).status_code == 200
    gone = await client.delete(f"/api/v1/access-keys/{made.json()['id']}", headers=bearer(access))
    assert gone.status_code == 204
    recent_grants(clean_runtime).clear()
    assert (await client.get(url)).status_code == 401
