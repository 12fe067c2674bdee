"""Users: setup, password rules, admin management, own profile and password, library access."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from sqlalchemy import text
from typer.testing import CliRunner

from revenge.accounts.passwords import Passwords
from revenge.cli.main import app as cli_app
from revenge.cli.user import app as user_cli
from revenge.config import AuthSettings
from revenge.errors import NotFound
from revenge.identity import Principal
from revenge.libraries.access import allowed_library_ids, require_library
from revenge.runtime import Runtime
from tests.accounts.conftest import PASSWORD, bearer, login, make_user


async def test_setup_creates_the_first_admin_once(
    client: httpx.AsyncClient, clean_runtime: Runtime
) -> None:
    info = (await client.get("/api/v1/system/info")).json()
    assert info["setup_pending"] is True
    resp = await client.post("/api/v1/setup", json={"username": "root", "password": PASSWORD})
    assert resp.status_code == 201 and resp.json()["role"] == "admin"
    again = await client.post("/api/v1/setup", json={"username": "evil", "password": PASSWORD})
    assert again.status_code == 409
    assert (await client.get("/api/v1/system/info")).json()["setup_pending"] is False


@pytest.mark.parametrize(
    ("password", "status"),
    [("short7!", 422), ("x" * 1025, 422), ("12345678", 201), ("  spaced  ", 201)],
)
async def test_password_length_rules(
    client: httpx.AsyncClient, clean_runtime: Runtime, password: str, status: int
) -> None:
    resp = await client.post("/api/v1/setup", json={"username": "root", "password": password})
    assert resp.status_code == status, resp.text
    if status == 201:
        await login(client, "root", password)
        # Checked exactly as typed: no trimming.
        stripped = await client.post(
            "/api/v1/auth/login", json={"username": "root", "password": password.strip() + "?"}
        )
        assert stripped.status_code == 401


async def test_admin_manages_users_and_users_cannot(
    client: httpx.AsyncClient, clean_runtime: Runtime, admin: dict[str, Any]
) -> None:
    root = bearer(admin["access_token"])
    resp = await client.post(
        "/api/v1/users", json={"username": "alice", "password": PASSWORD}, headers=root
    )
    assert resp.status_code == 201
    alice_id = resp.json()["id"]
    dup = await client.post(
        "/api/v1/users", json={"username": "ALICE", "password": PASSWORD}, headers=root
    )
    assert dup.status_code == 409
    listed = (await client.get("/api/v1/users", headers=root)).json()
    assert listed["total"] == 2
    alice = bearer((await login(client, "alice"))["access_token"])
    assert (await client.get("/api/v1/users", headers=alice)).status_code == 403
    assert (await client.get(f"/api/v1/users/{alice_id}", headers=alice)).status_code == 403
    resp = await client.patch(f"/api/v1/users/{alice_id}", json={"role": "admin"}, headers=root)
    assert resp.json()["role"] == "admin"
    # The role change applies to alice's existing (cached) session at once.
    assert (await client.get("/api/v1/users", headers=alice)).status_code == 200
    resp = await client.delete(f"/api/v1/users/{alice_id}", headers=root)
    assert resp.status_code == 204
    assert (await client.get("/api/v1/users/me", headers=alice)).status_code == 401
    assert (await client.get(f"/api/v1/users/{alice_id}", headers=root)).status_code == 404


async def test_the_last_admin_stays(
    client: httpx.AsyncClient, clean_runtime: Runtime, admin: dict[str, Any]
) -> None:
    root = bearer(admin["access_token"])
    me = (await client.get("/api/v1/users/me", headers=root)).json()
    for change in ({"role": "user"}, {"disabled": True}):
        resp = await client.patch(f"/api/v1/users/{me['id']}", json=change, headers=root)
        assert resp.status_code == 409
    assert (await client.delete(f"/api/v1/users/{me['id']}", headers=root)).status_code == 409


async def test_own_profile_and_password_change(
    client: httpx.AsyncClient, clean_runtime: Runtime
) -> None:
    await make_user(clean_runtime, "alice")
    here = await login(client, "alice")
    elsewhere = await login(client, "alice")
    headers = bearer(here["access_token"])
    resp = await client.patch(
        "/api/v1/users/me",
        json={"display_name": "Alice A.", "email": "a@example.org"},
        headers=headers,
    )
    assert resp.json()["display_name"] == "Alice A."
    assert (
        await client.patch("/api/v1/users/me", json={"role": "admin"}, headers=headers)
    ).status_code == 422
    wrong = await client.post(
        "/api/v1/users/me/password",
        json={"current_password": "not it at all", "new_password": "new password 1"},
        headers=headers,
    )
    assert wrong.status_code == 401
    ok = await client.post(
        "/api/v1/users/me/password",
        json={"current_password": PASSWORD, "new_password": "new password 1"},
        headers=headers,
    )
    assert ok.json() == {"ended_sessions": 1}
    assert (
        await client.get("/api/v1/users/me", headers=bearer(elsewhere["access_token"]))
    ).status_code == 401
    assert (await client.get("/api/v1/users/me", headers=headers)).status_code == 200
    await login(client, "alice", "new password 1")


async def test_login_rehashes_when_parameters_change(
    client: httpx.AsyncClient, clean_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    await make_user(clean_runtime, "alice")
    stronger = Passwords(AuthSettings(argon2_time_cost=3))
    monkeypatch.setattr(clean_runtime.accounts.logins, "passwords", stronger)
    await login(client, "alice")
    async with clean_runtime.db.transaction() as session:
        stored = (await session.execute(text("SELECT password_hash FROM users"))).scalar_one()
    assert "t=3" in stored and "argon2id" in stored
    lanes = AuthSettings().argon2_parallelism
    assert not PasswordHasher(
        time_cost=3, memory_cost=19 * 1024, parallelism=lanes
    ).check_needs_rehash(stored)


async def test_library_access_is_enforced_in_the_service_layer(
    client: httpx.AsyncClient, clean_runtime: Runtime, admin: dict[str, Any]
) -> None:
    async with clean_runtime.db.transaction() as session:
        ids = [
            (
                await session.execute(
                    text(f"INSERT INTO libraries (name, type) VALUES ('{n}', 'movie') RETURNING id")
                )
            ).scalar_one()
            for n in ("Films", "Kids")
        ]
    user_id = uuid.UUID(await make_user(clean_runtime, "alice"))
    alice = Principal(user_id=user_id, username="alice", role="user")
    root = bearer(admin["access_token"])
    async with clean_runtime.db.transaction() as session:
        assert await allowed_library_ids(session, alice) is None  # all libraries by default
    resp = await client.put(
        f"/api/v1/users/{user_id}/libraries",
        json={"all_libraries": False, "library_ids": [str(ids[1])]},
        headers=root,
    )
    assert resp.json() == {"all_libraries": False, "library_ids": [str(ids[1])]}
    async with clean_runtime.db.transaction() as session:
        assert await allowed_library_ids(session, alice) == {ids[1]}
        await require_library(session, alice, ids[1])
        with pytest.raises(NotFound):
            await require_library(session, alice, ids[0])
    bad = await client.put(
        f"/api/v1/users/{user_id}/libraries",
        json={"all_libraries": False, "library_ids": [str(uuid.uuid4())]},
        headers=root,
    )
    assert bad.status_code == 422


def test_cli_creates_an_admin_and_lists_users(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import truncate_all

    truncate_all(database_url)
    monkeypatch.setenv("REVENGE_DATABASE_URL", database_url)
    monkeypatch.setenv("REVENGE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("REVENGE_REDIS_URL", raising=False)
    cli_app.add_typer(user_cli, name="user")
    runner = CliRunner()
    result = runner.invoke(
        cli_app, ["user", "create", "boss", "--admin"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert "created administrator boss" in result.output
    short = runner.invoke(cli_app, ["user", "create", "tiny", "--password", "short"])
    assert short.exit_code == 1 and "8 to 1024" in short.output
    listed = runner.invoke(cli_app, ["user", "list"])
    assert listed.exit_code == 0 and "boss\tadmin\tenabled" in listed.output
