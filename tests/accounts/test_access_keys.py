"""Personal access keys: shown once, hashed, scoped, revocable, last use tracked; IDOR."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from revenge.runtime import Runtime
from tests.accounts.conftest import bearer, login, make_user


async def create_key(client: httpx.AsyncClient, token: str, **body: Any) -> httpx.Response:
    return await client.post(
        "/api/v1/access-keys", json={"name": "script", **body}, headers=bearer(token)
    )


async def test_key_is_shown_once_stored_hashed_and_authenticates(
    client: httpx.AsyncClient, clean_runtime: Runtime
) -> None:
    await make_user(clean_runtime, "alice")
    token = (await login(client, "alice"))["access_token"]
    resp = await create_key(client, token, scopes=["read", "write"])
    assert resp.status_code == 201
    created = resp.json()
    secret = created["key"]
    assert secret.startswith("rvk_") and created["prefix"] == secret[:12]
    listed = (await client.get("/api/v1/access-keys", headers=bearer(token))).json()
    assert [k["prefix"] for k in listed] == [created["prefix"]]
    assert "key" not in listed[0]
    async with clean_runtime.db.transaction() as session:
        stored = (await session.execute(text("SELECT key_hash FROM access_keys"))).scalar_one()
    assert secret.encode() not in stored
    for headers in (bearer(secret), {"X-Api-Key": secret}):
        resp = await client.get("/api/v1/users/me", headers=headers)
        assert resp.status_code == 200 and resp.json()["username"] == "alice"
    one = (await client.get(f"/api/v1/access-keys/{created['id']}", headers=bearer(token))).json()
    assert one["last_used_at"] is not None


async def test_keys_and_tokens_are_never_read_from_query_strings(
    client: httpx.AsyncClient, clean_runtime: Runtime
) -> None:
    await make_user(clean_runtime, "alice")
    token = (await login(client, "alice"))["access_token"]
    secret = (await create_key(client, token)).json()["key"]
    for name in ("api_key", "access_token", "token", "X-Api-Key"):
        for value in (secret, token):
            resp = await client.get("/api/v1/users/me", params={name: value})
            assert resp.status_code == 401


async def test_scopes_limit_what_a_key_can_do(
    client: httpx.AsyncClient, clean_runtime: Runtime, admin: dict[str, Any]
) -> None:
    await make_user(clean_runtime, "alice")
    alice = (await login(client, "alice"))["access_token"]
    read_only = (await create_key(client, alice, scopes=["read"])).json()["key"]
    assert (await client.get("/api/v1/sessions", headers=bearer(read_only))).status_code == 200
    resp = await create_key(client, read_only)  # a write with a read-only key
    assert resp.status_code == 403
    assert (await create_key(client, alice, scopes=["admin"])).status_code == 403
    assert (await create_key(client, alice, scopes=["root"])).status_code == 422
    # An admin's key without the admin scope cannot use admin routes.
    root = admin["access_token"]
    plain = (await create_key(client, root, scopes=["read", "write"])).json()["key"]
    assert (await client.get("/api/v1/users", headers=bearer(plain))).status_code == 403
    full = (await create_key(client, root, scopes=["read", "write", "admin"])).json()["key"]
    assert (await client.get("/api/v1/users", headers=bearer(full))).status_code == 200


async def test_revoked_key_is_refused_although_cached(
    client: httpx.AsyncClient, clean_runtime: Runtime
) -> None:
    await make_user(clean_runtime, "alice")
    token = (await login(client, "alice"))["access_token"]
    created = (await create_key(client, token)).json()
    headers = {"X-Api-Key": created["key"]}
    assert (await client.get("/api/v1/users/me", headers=headers)).status_code == 200
    resp = await client.delete(f"/api/v1/access-keys/{created['id']}", headers=bearer(token))
    assert resp.status_code == 204
    assert (await client.get("/api/v1/users/me", headers=headers)).status_code == 401
    assert (await client.get("/api/v1/access-keys", headers=bearer(token))).json() == []


async def test_expired_key_and_past_expiry(
    client: httpx.AsyncClient, clean_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    await make_user(clean_runtime, "alice")
    token = (await login(client, "alice"))["access_token"]
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    assert (await create_key(client, token, expires_at=past)).status_code == 422
    soon = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    headers = {"X-Api-Key": (await create_key(client, token, expires_at=soon)).json()["key"]}
    assert (await client.get("/api/v1/users/me", headers=headers)).status_code == 200
    real = time.time
    monkeypatch.setattr("revenge.identity.credentials.time.time", lambda: real() + 86400 + 1)
    assert (await client.get("/api/v1/users/me", headers=headers)).status_code == 401


@pytest.mark.parametrize("kind", ["sessions", "access-keys"])
async def test_user_b_cannot_touch_user_a_items(
    client: httpx.AsyncClient, clean_runtime: Runtime, kind: str
) -> None:
    """IDOR: another user's session or key answers 404 for read and revoke; lists are own."""
    await make_user(clean_runtime, "alice")
    await make_user(clean_runtime, "bob")
    alice = await login(client, "alice")
    bob = (await login(client, "bob"))["access_token"]
    if kind == "sessions":
        item = alice["session_id"]
    else:
        item = (await create_key(client, alice["access_token"])).json()["id"]
    listed = (await client.get(f"/api/v1/{kind}", headers=bearer(bob))).json()
    assert item not in {x["id"] for x in listed}
    assert (await client.get(f"/api/v1/{kind}/{item}", headers=bearer(bob))).status_code == 404
    assert (await client.delete(f"/api/v1/{kind}/{item}", headers=bearer(bob))).status_code == 404
    assert (
        await client.get(f"/api/v1/{kind}/{item}", headers=bearer(alice["access_token"]))
    ).status_code == 200
    bob_user = (await client.get("/api/v1/users/me", headers=bearer(bob))).json()["id"]
    assert (
        await client.get(f"/api/v1/admin/users/{bob_user}/sessions", headers=bearer(bob))
    ).status_code == 403
