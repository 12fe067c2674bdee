"""Two-factor sign-in: TOTP enrolment with QR data, recovery codes, the second step at
password sign-in, limits on wrong codes, the administrators' requirement and the admin reset."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import psycopg
import pyotp

from revenge.accounts import repository as users_repo
from revenge.accounts.bruteforce import PER_MINUTE
from revenge.identity.client import ClientInfo
from revenge.runtime import Runtime
from tests.accounts.conftest import PASSWORD, bearer, login, make_user

REQUIRE = "/api/v1/admin/settings/auth.require_2fa_for_admins"


async def sign_in(
    client: httpx.AsyncClient, username: str, code: str | None = None
) -> httpx.Response:
    body: dict[str, Any] = {"username": username, "password": PASSWORD}
    if code is not None:
        body["two_factor_code"] = code
    return await client.post("/api/v1/auth/login", json=body)


async def enrol(client: httpx.AsyncClient, token: str) -> tuple[pyotp.TOTP, list[str]]:
    setup = await client.post("/api/v1/me/2fa/setup", headers=bearer(token))
    assert setup.status_code == 200, setup.text
    totp = pyotp.TOTP(setup.json()["secret"])
    enabled = await client.post(
        "/api/v1/me/2fa/enable", json={"code": totp.now()}, headers=bearer(token)
    )
    assert enabled.status_code == 200, enabled.text
    return totp, enabled.json()["recovery_codes"]


def next_code(totp: pyotp.TOTP) -> str:
    """A code the server accepts (one step ahead, within the drift allowed) that differs
    from the one just used: each code is accepted once."""
    return totp.at(time.time() + 30)


def query(runtime: Runtime, sql: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(runtime.db.url) as conn:
        return list(conn.execute(sql))


async def test_enrol_then_sign_in_needs_the_code(
    client: httpx.AsyncClient, clean_runtime: Runtime
) -> None:
    await make_user(clean_runtime, "alice")
    token = (await login(client, "alice"))["access_token"]
    setup = await client.post("/api/v1/me/2fa/setup", headers=bearer(token))
    uri = urlsplit(setup.json()["provisioning_uri"])
    assert (uri.scheme, uri.netloc, uri.path) == ("otpauth", "totp", "/Revenge:alice")
    assert parse_qs(uri.query)["secret"] == [setup.json()["secret"]]
    assert parse_qs(uri.query)["issuer"] == ["Revenge"]
    totp = pyotp.TOTP(setup.json()["secret"])
    wrong = await client.post(
        "/api/v1/me/2fa/enable", json={"code": "000000"}, headers=bearer(token)
    )
    assert wrong.status_code == 400
    # Not on until confirmed: signing in still needs only the password.
    assert (await sign_in(client, "alice")).status_code == 200
    enabled = await client.post(
        "/api/v1/me/2fa/enable", json={"code": totp.now()}, headers=bearer(token)
    )
    codes = enabled.json()["recovery_codes"]
    assert len(codes) == len(set(codes)) == 10
    status = (await client.get("/api/v1/me/2fa", headers=bearer(token))).json()
    assert status["enabled"] and status["recovery_codes_left"] == 10

    step = await sign_in(client, "alice")
    assert step.status_code == 401
    problem = step.json()
    assert problem["type"].endswith("/second-factor-required")
    assert problem["second_factor_required"] is True
    bad = await sign_in(client, "alice", "123456" if totp.now() != "123456" else "654321")
    assert bad.status_code == 401 and bad.json()["second_factor_required"] is True
    good = await sign_in(client, "alice", next_code(totp))
    assert good.status_code == 200, good.text
    replayed = await sign_in(client, "alice", next_code(totp))
    assert replayed.status_code == 401, "a code must not be accepted twice"

    # Secrets at rest: the TOTP secret sealed, the recovery codes hashed.
    sealed = query(clean_runtime, "SELECT totp_secret_encrypted FROM users")[0][0]
    assert setup.json()["secret"] not in sealed
    stored = [bytes(r[0]) for r in query(clean_runtime, "SELECT code_hash FROM recovery_codes")]
    assert len(stored) == 10 and not any(c.replace("-", "").encode() in stored for c in codes)


async def test_recovery_codes_sign_in_once_each(
    client: httpx.AsyncClient, clean_runtime: Runtime
) -> None:
    await make_user(clean_runtime, "alice")
    token = (await login(client, "alice"))["access_token"]
    _, codes = await enrol(client, token)
    assert (await sign_in(client, "alice", codes[3].upper())).status_code == 200
    assert (await sign_in(client, "alice", codes[3])).status_code == 401  # used up
    left = (await client.get("/api/v1/me/2fa", headers=bearer(token))).json()
    assert left["recovery_codes_left"] == 9


async def test_wrong_codes_count_toward_the_sign_in_limits(
    client: httpx.AsyncClient, clean_runtime: Runtime
) -> None:
    await make_user(clean_runtime, "alice")
    totp, _ = await enrol(client, (await login(client, "alice"))["access_token"])
    answers = [
        (await sign_in(client, "alice", f"{i:06d}")).status_code for i in range(PER_MINUTE + 1)
    ]
    assert answers == [401] * PER_MINUTE + [429]
    assert (await sign_in(client, "alice", totp.now())).status_code == 429


async def test_turning_it_off_needs_a_code_and_an_admin_can_reset_it(
    client: httpx.AsyncClient, clean_runtime: Runtime, admin: dict[str, Any]
) -> None:
    alice = await make_user(clean_runtime, "alice")
    token = (await login(client, "alice"))["access_token"]
    totp, _ = await enrol(client, token)
    refused = await client.post(
        "/api/v1/me/2fa/disable", json={"code": "999999"}, headers=bearer(token)
    )
    assert refused.status_code == 400
    # Lost phone: an administrator resets it; a user cannot reset anyone's.
    reset = f"/api/v1/admin/users/{alice}/2fa"
    assert (await client.delete(reset, headers=bearer(token))).status_code == 403
    assert (await client.delete(reset, headers=bearer(admin["access_token"]))).status_code == 204
    assert (await sign_in(client, "alice")).status_code == 200
    status = (await client.get("/api/v1/me/2fa", headers=bearer(token))).json()
    assert status == {"enabled": False, "enabled_at": None, "recovery_codes_left": 0}
    # And on again, then off by the user with a current code.
    totp, _ = await enrol(client, token)
    off = await client.post(
        "/api/v1/me/2fa/disable", json={"code": next_code(totp)}, headers=bearer(token)
    )
    assert off.status_code == 204
    assert (await sign_in(client, "alice")).status_code == 200


async def test_administrators_can_be_required_to_use_two_factors(
    client: httpx.AsyncClient, clean_runtime: Runtime, admin: dict[str, Any]
) -> None:
    token = admin["access_token"]
    turned_on = await client.put(REQUIRE, json={"value": True}, headers=bearer(token))
    assert turned_on.status_code == 200, turned_on.text
    clean_runtime.server_settings.invalidate()
    # A password-only administrator session: held back until two factors are on.
    held = await client.get("/api/v1/admin/settings", headers=bearer(token))
    assert held.status_code == 403 and held.json()["second_factor_required"] is True
    assert (await client.get("/api/v1/users/me", headers=bearer(token))).status_code == 200
    await enrol(client, token)
    assert (await client.get("/api/v1/admin/settings", headers=bearer(token))).status_code == 200
    # Sign-in through an identity provider is not held to it: the provider decides.
    async with clean_runtime.db.transaction() as session:
        root = await users_repo.by_username(session, "root")
        assert root is not None
        issued = await clean_runtime.accounts.logins.sign_in(
            session, root, ClientInfo("192.0.2.1", None), None, method="oidc"
        )
    async with clean_runtime.db.transaction() as session:
        await clean_runtime.accounts.two_factor.disable(session, root.id, None, root.id)
    oidc = await client.get("/api/v1/admin/settings", headers=bearer(issued.access_token))
    assert oidc.status_code == 200
    password_only = (await login(client, "root"))["access_token"]
    again = await client.get("/api/v1/admin/settings", headers=bearer(password_only))
    assert again.status_code == 403
