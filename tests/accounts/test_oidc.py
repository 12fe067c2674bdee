"""OIDC sign-in end to end against oidc-provider-mock running on loopback."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
import oidc_provider_mock
import pytest
import werkzeug.serving
from sqlalchemy import text

from revenge.runtime import Runtime
from tests.accounts.conftest import bearer

CLIENT_ID = "revenge"
SECRET = "s3cret-client-value"


class ProviderSide:
    """WSGI wrapper that can make the provider issue tokens for another client (audience)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.other_audience = False

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if self.other_audience and environ["PATH_INFO"] == "/oauth2/token":
            raw = base64.b64encode(f"someone-else:{SECRET}".encode()).decode()
            environ["HTTP_AUTHORIZATION"] = f"Basic {raw}"
        return self.app(environ, start_response)


@pytest.fixture(scope="module")
def provider() -> Iterator[tuple[str, ProviderSide]]:
    side = ProviderSide(oidc_provider_mock.app(require_nonce=True))
    server = werkzeug.serving.make_server("127.0.0.1", 0, side, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", side
    finally:
        server.shutdown()
        thread.join(5)


@pytest.fixture
def issuer(provider: tuple[str, ProviderSide]) -> Iterator[str]:
    provider[1].other_audience = False
    yield provider[0]
    provider[1].other_audience = False


async def add_provider(
    client: httpx.AsyncClient, admin: dict[str, Any], issuer: str, **extra: Any
) -> dict[str, Any]:
    body = {
        "name": "mock",
        "issuer": issuer,
        "client_id": CLIENT_ID,
        "client_secret": SECRET,
        "auto_create_users": True,
        "admin_group": "media-admins",
        **extra,
    }
    allow = await client.put(  # the mock provider runs on loopback
        "/api/v1/admin/settings/http.outbound_allowlist",
        json={"value": ["127.0.0.1"]},
        headers=bearer(admin["access_token"]),
    )
    assert allow.status_code == 200, allow.text
    resp = await client.post(
        "/api/v1/admin/oidc-providers", json=body, headers=bearer(admin["access_token"])
    )
    assert resp.status_code == 201, resp.text
    result: dict[str, Any] = resp.json()
    return result


async def set_claims(issuer: str, sub: str, **claims: Any) -> None:
    async with httpx.AsyncClient() as http:
        resp = await http.put(f"{issuer}/users/{sub}", json=claims)
    assert resp.status_code == 204


async def start(client: httpx.AsyncClient, return_to: str = "/web") -> str:
    resp = await client.get("/api/v1/auth/oidc/mock/login", params={"return_to": return_to})
    assert resp.status_code == 302, resp.text
    assert "revenge_oidc" in resp.cookies
    return resp.headers["location"]


async def authorize(url: str, sub: str, **override: str) -> str:
    """Act as the browser at the provider: approve as `sub`; return the callback URL."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    assert query["code_challenge_method"] == "S256" and query["nonce"] and query["state"]
    query.update(override)
    target = urlunsplit((*parts[:3], urlencode(query), ""))
    async with httpx.AsyncClient() as http:
        resp = await http.post(target, data={"sub": sub})
    assert resp.status_code == 302, resp.text
    return resp.headers["location"]


async def exchange(client: httpx.AsyncClient, location: str) -> httpx.Response:
    fragment = urlsplit(location).fragment
    code = dict(parse_qsl(fragment))["login_code"]
    return await client.post("/api/v1/auth/oidc/exchange", json={"login_code": code})


def spy_exchanges(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Record the provider's token responses, to show a refusal came after a real exchange."""
    seen: list[dict[str, Any]] = []
    real = runtime.accounts.oidc._exchange_code

    async def spy(*args: Any) -> dict[str, Any]:
        tokens = await real(*args)
        seen.append(tokens)
        return tokens

    monkeypatch.setattr(runtime.accounts.oidc, "_exchange_code", spy)
    return seen


async def sessions_count(runtime: Runtime) -> int:
    async with runtime.db.transaction() as session:
        return int((await session.execute(text("SELECT count(*) FROM sessions"))).scalar_one())


async def test_sign_in_end_to_end(
    client: httpx.AsyncClient, clean_runtime: Runtime, admin: dict[str, Any], issuer: str
) -> None:
    created = await add_provider(client, admin, issuer)
    assert created["has_client_secret"] is True and "client_secret" not in created
    async with clean_runtime.db.transaction() as session:
        stored = (
            await session.execute(text("SELECT client_secret_encrypted FROM oidc_providers"))
        ).scalar_one()
    assert SECRET not in stored
    assert clean_runtime.accounts.secrets.decrypt(stored.encode()).decode() == SECRET
    providers = (await client.get("/api/v1/auth/oidc/providers")).json()
    assert providers == [{"name": "mock"}]

    await set_claims(issuer, "sub-alice", preferred_username="alice", groups=["media-admins"])
    callback = await authorize(await start(client), "sub-alice")
    resp = await client.get(callback)
    assert resp.status_code == 303
    location = resp.headers["location"]
    assert location.startswith("/web#login_code=")
    assert "rvs_" not in location and "?" not in location  # no token in the URL
    tokens = await exchange(client, location)
    assert tokens.status_code == 200
    me = await client.get("/api/v1/users/me", headers=bearer(tokens.json()["access_token"]))
    assert me.json()["username"] == "alice" and me.json()["role"] == "admin"
    assert me.json()["has_password"] is False

    # Replays: the callback and the login code each work once.
    assert (await client.get(callback)).status_code == 400
    assert (await exchange(client, location)).status_code == 401
    # The used code with a fresh, valid state: the provider's single-use code is refused.
    fresh = dict(parse_qsl(urlsplit(await authorize(await start(client), "sub-alice")).query))
    old_code = dict(parse_qsl(urlsplit(callback).query))["code"]
    spliced = "/api/v1/auth/oidc/callback?" + urlencode({"state": fresh["state"], "code": old_code})
    assert (await client.get(spliced)).status_code == 401

    # The same issuer+subject signs in to the same account, even with a new username claim.
    await set_claims(issuer, "sub-alice", preferred_username="renamed", groups=[])
    again = await client.get(await authorize(await start(client), "sub-alice"))
    second = await exchange(client, again.headers["location"])
    assert second.json()["user"]["id"] == me.json()["id"]
    assert second.json()["user"]["role"] == "user"  # left the admin group


async def test_bad_state_is_refused(
    client: httpx.AsyncClient, clean_runtime: Runtime, admin: dict[str, Any], issuer: str
) -> None:
    await add_provider(client, admin, issuer)
    callback = await authorize(await start(client), "sub-bob")
    parts = urlsplit(callback)
    query = dict(parse_qsl(parts.query))
    forged = urlunsplit((*parts[:3], urlencode({**query, "state": "forged"}), ""))
    before = await sessions_count(clean_runtime)
    assert (await client.get(forged)).status_code == 400
    assert (await client.get("/api/v1/auth/oidc/callback")).status_code == 400
    assert await sessions_count(clean_runtime) == before


async def test_bad_nonce_is_refused(
    client: httpx.AsyncClient,
    clean_runtime: Runtime,
    admin: dict[str, Any],
    issuer: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await add_provider(client, admin, issuer)
    exchanged = spy_exchanges(clean_runtime, monkeypatch)
    callback = await authorize(await start(client), "sub-bob", nonce="attacker-nonce")
    before = await sessions_count(clean_runtime)
    resp = await client.get(callback)
    assert resp.status_code == 401
    assert "login_code" not in resp.headers.get("location", "")
    assert len(exchanged) == 1 and "id_token" in exchanged[0]  # refused on the ID token
    assert await sessions_count(clean_runtime) == before


async def test_wrong_audience_is_refused(
    client: httpx.AsyncClient,
    clean_runtime: Runtime,
    admin: dict[str, Any],
    issuer: str,
    provider: tuple[str, ProviderSide],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await add_provider(client, admin, issuer)
    exchanged = spy_exchanges(clean_runtime, monkeypatch)
    # The code is issued to, and redeemed by, another client: a genuine token for them.
    callback = await authorize(await start(client), "sub-bob", client_id="someone-else")
    provider[1].other_audience = True
    before = await sessions_count(clean_runtime)
    assert (await client.get(callback)).status_code == 401
    assert len(exchanged) == 1 and "id_token" in exchanged[0]  # refused on the ID token
    assert await sessions_count(clean_runtime) == before


async def test_callback_from_another_browser_and_unknown_identities_are_refused(
    client: httpx.AsyncClient,
    clean_runtime: Runtime,
    admin: dict[str, Any],
    issuer: str,
    app: Any,
) -> None:
    created = await add_provider(client, admin, issuer, auto_create_users=False)
    callback = await authorize(await start(client), "sub-carol")
    transport = httpx.ASGITransport(app=app, client=("203.0.113.8", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as other:
        assert (await other.get(callback)).status_code == 400  # no binding cookie
    callback = await authorize(await start(client), "sub-carol")
    resp = await client.get(callback)
    assert resp.status_code == 403  # no linked account, auto-create off
    root = bearer(admin["access_token"])
    patched = await client.patch(
        f"/api/v1/admin/oidc-providers/{created['id']}", json={"enabled": False}, headers=root
    )
    assert patched.json()["enabled"] is False
    assert (await client.get("/api/v1/auth/oidc/mock/login")).status_code == 404
    resp = await client.delete(f"/api/v1/admin/oidc-providers/{created['id']}", headers=root)
    assert resp.status_code == 204
    assert (await client.get("/api/v1/admin/oidc-providers", headers=root)).json() == []


async def test_open_redirects_are_refused(
    client: httpx.AsyncClient, clean_runtime: Runtime, admin: dict[str, Any], issuer: str
) -> None:
    await add_provider(client, admin, issuer)
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil"):
        resp = await client.get("/api/v1/auth/oidc/mock/login", params={"return_to": target})
        assert resp.status_code == 422 and "return_to" in resp.json()["detail"]


async def test_unknown_or_unreachable_provider(
    client: httpx.AsyncClient, clean_runtime: Runtime, admin: dict[str, Any]
) -> None:
    """No such provider is a 404; a provider that cannot be reached is its fault (502)."""
    missing = await client.get("/api/v1/auth/oidc/nobody/login")
    assert missing.status_code == 404
    await add_provider(client, admin, "http://127.0.0.1:9")
    resp = await client.get("/api/v1/auth/oidc/mock/login")
    assert resp.status_code == 502, resp.text
    assert resp.headers["content-type"] == "application/problem+json"
    assert "could not be reached" in resp.json()["detail"]


async def test_oidc_sign_in_gives_the_browser_a_cookie_session(
    client: httpx.AsyncClient, admin: dict[str, Any], issuer: str
) -> None:
    await add_provider(client, admin, issuer)
    await set_claims(issuer, "sub-web", preferred_username="webby", groups=[])
    callback = await authorize(await start(client, return_to="/login"), "sub-web")
    location = (await client.get(callback)).headers["location"]
    assert location.startswith("/login#login_code=")
    code = dict(parse_qsl(urlsplit(location).fragment))["login_code"]
    origin = {"Origin": "http://testserver"}

    cross = await client.post(
        "/api/v1/auth/oidc/browser-exchange",
        json={"login_code": code},
        headers={"Origin": "https://evil.example"},
    )
    assert cross.status_code == 403
    resp = await client.post(
        "/api/v1/auth/oidc/browser-exchange", json={"login_code": code}, headers=origin
    )
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert "refresh_token" not in body and body["user"]["username"] == "webby"
    assert "revenge_refresh" in client.cookies and "revenge_oidc" not in client.cookies
    me = await client.get("/api/v1/users/me", headers=bearer(body["access_token"]))
    assert me.json()["username"] == "webby"
    refreshed = await client.post(
        "/api/v1/auth/browser/refresh", headers={"X-CSRF-Token": client.cookies["revenge_csrf"]}
    )
    assert refreshed.status_code == 200 and refreshed.json()["user"]["username"] == "webby"
    # The code worked once.
    again = await client.post(
        "/api/v1/auth/oidc/browser-exchange", json={"login_code": code}, headers=origin
    )
    assert again.status_code == 401
