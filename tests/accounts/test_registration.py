"""Open registration: off by default, an optional invite code, the usual rules and limits."""

from __future__ import annotations

from typing import Any

import httpx

from revenge.runtime import Runtime
from revenge.testing.seed import execute
from tests.accounts.conftest import PASSWORD, bearer, clear_login_limits, login

URL = "/api/v1/auth/register"


async def _set(client: httpx.AsyncClient, admin: dict[str, Any], key: str, value: Any) -> None:
    r = await client.put(
        f"/api/v1/admin/settings/{key}", json={"value": value},
        headers=bearer(admin["access_token"]),
    )  # fmt: skip
    assert r.status_code == 200, r.text


async def test_registration_is_closed_by_default(
    client: httpx.AsyncClient, admin: dict[str, Any]
) -> None:
    public = (await client.get("/api/v1/settings/public")).json()
    assert public["auth.registration_enabled"] is False
    r = await client.post(URL, json={"username": "mallory", "password": PASSWORD})
    assert r.status_code == 403
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "closed" in r.json()["detail"]


async def test_open_registration_creates_a_plain_user_who_can_sign_in(
    client: httpx.AsyncClient, admin: dict[str, Any], clean_runtime: Runtime
) -> None:
    await _set(client, admin, "auth.registration_enabled", True)
    r = await client.post(URL, json={"username": "alice", "password": PASSWORD})
    assert r.status_code == 201, r.text
    assert (r.json()["username"], r.json()["role"]) == ("alice", "user")
    assert (await login(client, "alice"))["user"]["role"] == "user"
    # The same rules as any account: a short password and a taken name are refused.
    short = await client.post(URL, json={"username": "bob", "password": "short"})
    assert short.status_code == 422 and "password" in short.text
    taken = await client.post(URL, json={"username": "alice", "password": PASSWORD})
    assert taken.status_code == 409
    admin_role = await client.post(
        URL, json={"username": "eve", "password": PASSWORD, "role": "admin"}
    )
    assert admin_role.status_code == 422  # nobody registers as an administrator


async def test_invite_code_is_required_and_guessing_it_is_throttled(
    client: httpx.AsyncClient, admin: dict[str, Any], clean_runtime: Runtime
) -> None:
    await _set(client, admin, "auth.registration_enabled", True)
    await _set(client, admin, "auth.registration_invite_code", "friends-only")
    missing = await client.post(URL, json={"username": "carol", "password": PASSWORD})
    assert missing.status_code == 403 and "invite code" in missing.json()["detail"]
    statuses = []
    for n in range(11):
        r = await client.post(
            URL, json={"username": "carol", "password": PASSWORD, "invite_code": f"guess{n}"}
        )
        statuses.append(r.status_code)
    assert statuses[-1] == 429 and "Retry-After" in r.headers
    # Once limited, even the right code waits: guessing cannot outpace the limit.
    right = {"username": "carol", "password": PASSWORD, "invite_code": "friends-only"}
    assert (await client.post(URL, json=right)).status_code == 429
    await clear_login_limits(clean_runtime)  # as a minute later
    ok = await client.post(URL, json=right)
    assert ok.status_code == 201, ok.text
    await clean_runtime.activity.flush()
    failures = await execute(
        clean_runtime,
        "SELECT count(*) AS n FROM activity_log WHERE action = 'user.register_failed'",
    )
    assert failures[0]["n"] >= 10
