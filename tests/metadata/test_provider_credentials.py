"""Provider credentials: sealed at rest, masked in the API, testable, rotatable."""

from __future__ import annotations

import asyncio
import glob
import os
import stat
import subprocess
import sys
from pathlib import Path

import httpx
import psycopg
import pytest
from typer.testing import CliRunner

from revenge.cli import keys as keys_cli
from revenge.infra import secret_rotation
from revenge.infra.secrets import SecretBox, SecretError, key_id_of, read_key_file
from revenge.metadata.provider_credentials.service import CredentialService, NoProviderKey
from revenge.runtime import Runtime
from revenge.testing.http_server import LoopbackServer, Received, Reply
from tests.support.actors import Actors

PLAIN = "tmdb-secret-key-7f3a9c"


def _pg_dump(url: str) -> str:
    import pgserver

    bundled = glob.glob(os.path.join(os.path.dirname(pgserver.__file__), "pginstall/bin/pg_dump"))
    binary = bundled[0] if bundled else "pg_dump"
    return subprocess.run(
        [binary, "--data-only", url], check=True, capture_output=True, text=True
    ).stdout


def test_key_file_is_created_private_and_values_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "data" / "secret.key"
    box = SecretBox.from_config([], path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    sealed = box.encrypt(b"hello")
    assert b"hello" not in sealed and box.decrypt(sealed) == b"hello"
    again = SecretBox.from_config([], path)  # second start reuses the same key
    assert again.decrypt(sealed) == b"hello"
    tampered = sealed[:-5] + (b"A" if sealed[-5:-4] != b"A" else b"B") + sealed[-4:]
    with pytest.raises(SecretError):
        box.decrypt(tampered)
    with pytest.raises(SecretError, match="unknown key"):
        SecretBox.from_config([], tmp_path / "other.key").decrypt(sealed)


async def test_api_masks_and_database_dump_hides_the_key(
    client: httpx.AsyncClient, actors: Actors, database_url: str, clean_runtime: Runtime
) -> None:
    resp = await client.put(
        "/api/v1/admin/credentials/tmdb", json={"value": PLAIN}, headers=actors.as_admin
    )
    assert resp.status_code == 200
    body = resp.json()
    assert body["masked_value"].endswith("9c") and body["masked_value"].endswith(PLAIN[-4:])
    assert PLAIN not in resp.text and body["last_used_at"] is None
    listed = (await client.get("/api/v1/admin/credentials", headers=actors.as_admin)).json()
    assert [c["service"] for c in listed] == ["tmdb"] and PLAIN not in str(listed)
    dump = _pg_dump(database_url)
    assert "provider_credentials" in dump and PLAIN not in dump
    with psycopg.connect(database_url) as conn:
        raw = conn.execute("SELECT encrypted_value FROM provider_credentials").fetchone()
    assert raw is not None and PLAIN.encode() not in bytes(raw[0])
    user = await client.get("/api/v1/admin/credentials", headers=actors.as_user)
    assert user.status_code == 403
    providers = await client.get("/api/v1/admin/credentials/providers", headers=actors.as_admin)
    configured = {p["service"]: p["configured"] for p in providers.json()}
    assert configured["tmdb"] is True and configured["tvdb"] is False
    assert PLAIN not in providers.text
    assert (
        await client.get("/api/v1/admin/credentials/providers", headers=actors.as_user)
    ).status_code == 403


async def test_providers_get_plaintext_and_missing_key_is_clear(
    client: httpx.AsyncClient, actors: Actors, clean_runtime: Runtime
) -> None:
    await client.put(
        "/api/v1/admin/credentials/tmdb", json={"value": PLAIN}, headers=actors.as_admin
    )
    async with clean_runtime.db.transaction() as session:
        assert await clean_runtime.credentials.reveal(session, "tmdb") == PLAIN
        with pytest.raises(NoProviderKey, match="no API key configured for tvdb"):
            await clean_runtime.credentials.reveal(session, "tvdb")
    got = (await client.get("/api/v1/admin/credentials/tmdb", headers=actors.as_admin)).json()
    assert got["last_used_at"] is not None


async def test_test_action_asks_the_provider(
    client: httpx.AsyncClient,
    actors: Actors,
    clean_runtime: Runtime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def tmdb(request: Received) -> Reply:
        ok = f"api_key={PLAIN}" in request.path and request.path.startswith("/3/authentication")
        if ok:
            return Reply(200, b'{"success":true,"status_code":1}')
        return Reply(401, b'{"success":false,"status_code":7}')

    async with LoopbackServer(tmdb) as server:
        monkeypatch.setattr(clean_runtime.settings.metadata, "tmdb_base_url", f"{server.url}/3")
        await client.put(
            "/api/v1/admin/credentials/tmdb", json={"value": PLAIN}, headers=actors.as_admin
        )
        good = await client.post("/api/v1/admin/credentials/tmdb/test", headers=actors.as_admin)
        await client.put(
            "/api/v1/admin/credentials/tmdb",
            json={"value": "wrong-key-123456"},
            headers=actors.as_admin,
        )
        bad = await client.post("/api/v1/admin/credentials/tmdb/test", headers=actors.as_admin)
    assert good.json()["ok"] is True and good.json()["status_code"] == 200
    assert bad.json()["ok"] is False and "rejected" in bad.json()["detail"]
    missing = await client.post("/api/v1/admin/credentials/tvdb/test", headers=actors.as_admin)
    assert missing.status_code == 404
    invalid = await client.put(
        "/api/v1/admin/credentials/Bad Name!", json={"value": "x"}, headers=actors.as_admin
    )
    assert invalid.status_code == 422


async def test_unknown_provider_name_is_400(
    client: httpx.AsyncClient, actors: Actors, clean_runtime: Runtime
) -> None:
    typo = await client.put(
        "/api/v1/admin/credentials/tmbd", json={"value": PLAIN}, headers=actors.as_admin
    )
    assert typo.status_code == 400
    assert typo.headers["content-type"].startswith("application/problem+json")
    assert "tmbd" in typo.json()["detail"] and "tmdb" in typo.json()["detail"]
    listed = (await client.get("/api/v1/admin/credentials", headers=actors.as_admin)).json()
    assert listed == []


async def test_rotation_reseals_every_value_without_downtime(
    clean_runtime: Runtime, tmp_path: Path, database_url: str
) -> None:
    key_file = tmp_path / "secret.key"
    admin_box = SecretBox.from_config([], key_file)
    running_node = SecretBox.from_config([], key_file)  # another server using the same file
    service = CredentialService(admin_box, clean_runtime.http, clean_runtime.settings.providers)
    old_id = admin_box.key_id
    async with clean_runtime.db.transaction() as session:
        for name in ("tmdb", "tvdb", "fanarttv"):
            await service.put(session, name, f"{name}-plain-value", None)
        await clean_runtime.notifications.create_channel(
            session,
            name="hook",
            kind="webhook",
            config={"url": "https://example.org/"},
            secret=None,
            events=["system.test"],
            enabled=True,
            actor=None,
        )
    # Seal the channel secret with the old key too.
    with psycopg.connect(database_url) as conn:
        conn.execute(
            "UPDATE notification_channels SET secret_encrypted = %s",
            (admin_box.encrypt(b"hook-secret"),),
        )
    new_id, counts, retired = await secret_rotation.rotate(clean_runtime.db, admin_box)
    assert new_id != old_id and retired == [old_id]
    assert counts["provider_credentials.encrypted_value"] == 3
    assert counts["notification_channels.secret_encrypted"] == 1
    assert [key_id_of(k) for k in read_key_file(key_file)] == [new_id]
    with psycopg.connect(database_url) as conn:
        rows = conn.execute("SELECT service, encrypted_value, key_id FROM provider_credentials")
        for service_name, sealed, kid in rows:
            assert kid == new_id and bytes(sealed).startswith(new_id.encode())
            # The other node picks up the new key file by itself.
            assert running_node.decrypt(bytes(sealed)).decode() == f"{service_name}-plain-value"
        (secret,) = conn.execute("SELECT secret_encrypted FROM notification_channels").fetchone()
    assert running_node.decrypt(bytes(secret)) == b"hook-secret"


def test_old_key_opens_values_until_rotation_finishes(tmp_path: Path) -> None:
    key_file = tmp_path / "secret.key"
    box = SecretBox.from_config([], key_file)
    before = box.encrypt(b"v")
    box.start_rotation()
    after = box.encrypt(b"w")
    assert box.decrypt(before) == b"v" and box.decrypt(after) == b"w"
    box.finish_rotation()
    with pytest.raises(SecretError):
        box.decrypt(before)


async def test_cli_rotate_while_the_server_keeps_running(
    clean_runtime: Runtime, database_url: str, client: httpx.AsyncClient, actors: Actors
) -> None:
    await client.put(
        "/api/v1/admin/credentials/tmdb", json={"value": PLAIN}, headers=actors.as_admin
    )
    data_dir = clean_runtime.settings.data_dir
    env = {"REVENGE_DATABASE_URL": database_url, "REVENGE_DATA_DIR": str(data_dir)}
    old = read_key_file(data_dir / "secret.key")
    result = await asyncio.to_thread(CliRunner().invoke, keys_cli.app, ["rotate"], env=env)
    assert result.exit_code == 0, result.output
    assert "re-sealed 1 value(s) in provider_credentials" in result.output
    new = read_key_file(data_dir / "secret.key")
    assert len(new) == 1 and new != old
    # The running server reads the re-sealed value with the new key, no restart.
    async with clean_runtime.db.transaction() as session:
        assert await clean_runtime.credentials.reveal(session, "tmdb") == PLAIN
    listed = await client.get("/api/v1/admin/credentials", headers=actors.as_admin)
    assert listed.json()[0]["key_id"] == key_id_of(new[0])
    help_text = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "revenge", "keys", "--help"],
        capture_output=True,
        text=True,
    )
    assert "rotate" in help_text.stdout


async def test_providers_reuse_a_key_read_lately_and_see_one_stored_here_at_once(
    client: httpx.AsyncClient, actors: Actors, clean_runtime: Runtime
) -> None:
    from revenge.metadata.errors import NoProviderKey as NoKeyForProvider
    from revenge.metadata.provider_credentials import repository
    from revenge.wiring.metadata import CredentialKeys

    keys = CredentialKeys(clean_runtime)
    with pytest.raises(NoKeyForProvider):  # a missing key is not remembered ...
        await keys.get("tmdb")
    path = "/api/v1/admin/credentials/tmdb"
    await client.put(path, json={"value": PLAIN}, headers=actors.as_admin)
    assert await keys.get("tmdb") == PLAIN  # ... so one just stored is used at once
    # Removed behind this process' back (as another node would): the key read lately is
    # used until it is due to be read again, without a database round trip per request.
    async with clean_runtime.db.transaction() as session:
        await repository.remove(session, "tmdb")
    assert await keys.get("tmdb") == PLAIN
    # Stored through this process: forgotten at once.
    await client.put(path, json={"value": "replaced-key-1234"}, headers=actors.as_admin)
    assert await keys.get("tmdb") == "replaced-key-1234"
    await client.delete(path, headers=actors.as_admin)
    with pytest.raises(NoKeyForProvider):
        await keys.get("tmdb")
