"""Sign-ins from a device or address new to the user are announced to that user only; a
live stream ends as soon as its session is revoked."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from revenge.runtime import Runtime
from tests.events.sse import SseClient

PASSWORD = "correct horse battery staple"


async def _login(client: httpx.AsyncClient, username: str, agent: str) -> str:
    resp = await client.post(
        "/api/v1/auth/login",
        json={"username": username, "password": PASSWORD},
        headers={"User-Agent": agent},
    )
    assert resp.status_code == 200, resp.text
    token: str = resp.json()["access_token"]
    return token


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _accounts(client: httpx.AsyncClient) -> None:
    resp = await client.post("/api/v1/setup", json={"username": "admin", "password": PASSWORD})
    assert resp.status_code in (200, 201), resp.text
    admin = await _login(client, "admin", "setup")
    made = await client.post(
        "/api/v1/users",
        json={"username": "bob", "password": PASSWORD, "role": "user"},
        headers=_bearer(admin),
    )
    assert made.status_code == 201, made.text


async def test_a_sign_in_from_a_new_device_is_announced_to_that_user_only(
    client: httpx.AsyncClient, served: str, clean_runtime: Runtime
) -> None:
    await _accounts(client)
    first = await _login(client, "bob", "Firefox/120")  # the first sign-in: nothing to compare
    admin = await _login(client, "admin", "setup")
    async with (
        SseClient(served, _bearer(first)) as bob,
        SseClient(served, _bearer(admin)) as others,
    ):
        await _login(client, "bob", "Firefox/120")  # seen before: nothing
        await _login(client, "bob", "Jellyfin Android 2.6")
        await bob.wait(lambda c: bool(c.of("auth.login.new_device")))
        await asyncio.sleep(0.5)
    (announced,) = bob.of("auth.login.new_device")
    assert announced.data["title"] == "Sign-in from a new device"
    assert announced.data["data"]["device"] == "Jellyfin Android 2.6"
    assert others.of("auth.login.new_device") == []


async def test_a_revoked_sessions_stream_is_closed(
    client: httpx.AsyncClient, served: str, clean_runtime: Runtime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    # Far beyond the test: the stream must end because of the revocation, not a heartbeat.
    monkeypatch.setattr(clean_runtime.settings.events, "heartbeat_seconds", 60.0)
    await _accounts(client)
    phone = await _login(client, "bob", "Phone")
    laptop = await _login(client, "bob", "Laptop")
    async with (
        SseClient(served, _bearer(phone)) as on_phone,
        SseClient(served, _bearer(laptop)) as on_laptop,
    ):
        assert on_phone.status == 200 and on_laptop.status == 200
        resp = await client.post("/api/v1/auth/logout", headers=_bearer(phone))
        assert resp.status_code == 204
        await asyncio.wait_for(on_phone.ended.wait(), 10)
        await asyncio.sleep(0.5)
        assert not on_laptop.ended.is_set()
    again = await client.get("/api/v1/events", headers=_bearer(phone))
    assert again.status_code == 401


async def test_an_idle_stream_gets_heartbeats(
    served: str, clean_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clean_runtime.settings.events, "heartbeat_seconds", 0.2)
    async with httpx.AsyncClient(base_url=served, timeout=10) as http:
        await http.post("/api/v1/setup", json={"username": "admin", "password": PASSWORD})
        token = await _login(http, "admin", "curl")
        seen = b""
        async with http.stream("GET", "/api/v1/events", headers=_bearer(token)) as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            async for chunk in response.aiter_bytes():
                seen += chunk
                if seen.count(b": heartbeat\n\n") >= 3:
                    break
    assert seen.startswith(b": connected\n\n")
