"""ntfy, Gotify, Discord and custom JSON webhooks against local servers answering like the
real services; template checks at save time; an unreachable channel retries, gives up with
a `job.failed` record and a warning, and never holds up a scan."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
import uuid
from collections.abc import Callable
from email.header import decode_header, make_header
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from revenge.infra.jobs.worker import Worker
from revenge.notifications.events import NotificationEvent
from revenge.runtime import Runtime
from revenge.scanning.scan import ScanRequest, run_scan
from revenge.testing.http_server import LoopbackServer, Received, Reply
from revenge.testing.services import free_port
from tests.events.conftest import allow_loopback
from tests.support.actors import Actors
from tests.support.media import make_video

CHANNELS = "/api/v1/admin/notifications/channels"
GOTIFY_TOKEN = "AbCdEf.123"


async def _channel(
    client: httpx.AsyncClient, actors: Actors, body: dict[str, Any], status: int = 201
) -> dict[str, Any]:
    body = {"name": f"{body['kind']}-{uuid.uuid4().hex[:6]}", "events": ["system.test"], **body}
    resp = await client.post(CHANNELS, json=body, headers=actors.as_admin)
    assert resp.status_code == status, resp.text
    out: dict[str, Any] = resp.json()
    return out


async def _attempts(
    client: httpx.AsyncClient, actors: Actors, channel_id: str,
    until: Callable[[list[dict[str, Any]]], bool], seconds: float = 15,
) -> list[dict[str, Any]]:  # fmt: skip
    deadline = time.monotonic() + seconds
    while True:
        resp = await client.get(f"{CHANNELS}/{channel_id}/attempts", headers=actors.as_admin)
        items: list[dict[str, Any]] = list(reversed(resp.json()["items"]))
        if until(items) or time.monotonic() > deadline:
            return items
        await asyncio.sleep(0.05)


async def _send(runtime: Runtime, channel_id: str, event: NotificationEvent) -> None:
    async with runtime.db.transaction() as session:
        await runtime.notifications.send_to_channel(session, uuid.UUID(channel_id), event)


async def test_ntfy_gets_the_message_with_title_priority_and_tags(
    client: httpx.AsyncClient, actors: Actors, worker: Worker, clean_runtime: Runtime
) -> None:
    await allow_loopback(client, actors)

    def ntfy(request: Received) -> Reply:
        if request.headers.get("authorization") != "Bearer tk_secret":
            return Reply(401, b'{"code":40101,"http":401,"error":"unauthorized"}')
        answer = {"id": "hwQ2YpKdmg", "time": 1700000000, "event": "message",
                  "topic": "media", "message": request.body.decode()}  # fmt: skip
        return Reply(200, json.dumps(answer).encode(), {"Content-Type": "application/json"})

    async with LoopbackServer(ntfy) as server:
        channel = await _channel(client, actors, {
            "kind": "ntfy", "config": {"url": f"{server.url}/media", "tags": ["tv"]},
            "secret": "tk_secret",
        })  # fmt: skip
        await _send(clean_runtime, channel["id"], NotificationEvent(
            "library.scan.failed", "Scan of Films d'Amélie failed", "disk unmounted"
        ))  # fmt: skip
        attempts = await _attempts(client, actors, channel["id"], bool)
    assert [a["status"] for a in attempts] == ["delivered"]
    (request,) = server.received
    assert (request.method, request.path) == ("POST", "/media")
    assert str(make_header(decode_header(request.headers["title"]))) == (
        "Scan of Films d'Amélie failed"
    )
    assert request.headers["priority"] == "4"  # failures are raised above the default 3
    assert request.headers["tags"] == "tv,warning"
    assert request.body == b"disk unmounted"


async def test_gotify_gets_json_with_the_application_token(
    client: httpx.AsyncClient, actors: Actors, worker: Worker, clean_runtime: Runtime
) -> None:
    await allow_loopback(client, actors)

    def gotify(request: Received) -> Reply:
        url = urlsplit(request.path)
        if url.path != "/message":
            return Reply(404, b'{"error":"Not Found","errorCode":404}')
        if parse_qs(url.query).get("token") != [GOTIFY_TOKEN]:
            return Reply(401, json.dumps({
                "error": "Unauthorized", "errorCode": 401,
                "errorDescription": "you need to provide a valid access token or user"
                " credentials to access this api",
            }).encode())  # fmt: skip
        sent = json.loads(request.body)
        answer = {"id": 25, "appid": 5, "date": "2026-12-02T14:00:00Z", **sent}
        return Reply(200, json.dumps(answer).encode(), {"Content-Type": "application/json"})

    async with LoopbackServer(gotify) as server:
        good = await _channel(client, actors, {
            "kind": "gotify", "config": {"url": server.url + "/"}, "secret": GOTIFY_TOKEN,
        })  # fmt: skip
        bad = await _channel(client, actors, {
            "kind": "gotify", "config": {"url": server.url}, "secret": "wrong",
        })  # fmt: skip
        event = NotificationEvent("item.added", "3 new episodes of Severance", "S02E01-E03")
        await _send(clean_runtime, good["id"], event)
        await _send(clean_runtime, bad["id"], event)
        delivered = await _attempts(client, actors, good["id"], bool)
        refused = await _attempts(client, actors, bad["id"], bool)
    assert [a["status"] for a in delivered] == ["delivered"]
    assert refused[0]["status"] == "failed" and refused[0]["response_code"] == 401
    assert "valid access token" in refused[0]["error"]
    sent = [json.loads(r.body) for r in server.received if GOTIFY_TOKEN in r.path]
    assert sent[0]["title"] == "3 new episodes of Severance"
    assert sent[0]["message"] == "S02E01-E03" and sent[0]["priority"] == 5


async def test_discord_gets_content_and_an_embed_and_answers_204(
    client: httpx.AsyncClient, actors: Actors, worker: Worker
) -> None:
    await allow_loopback(client, actors)

    def discord(request: Received) -> Reply:
        body = json.loads(request.body)
        if not body.get("content") and not body.get("embeds"):
            return Reply(400, b'{"message": "Cannot send an empty message", "code": 50006}')
        return Reply(204, b"")

    async with LoopbackServer(discord) as server:
        channel = await _channel(client, actors, {
            "kind": "discord", "config": {"url": f"{server.url}/api/webhooks/1/tok",
                                          "username": "Revenge"},
        })  # fmt: skip
        resp = await client.post(f"{CHANNELS}/{channel['id']}/test", headers=actors.as_admin)
        assert resp.status_code == 202
        attempts = await _attempts(client, actors, channel["id"], bool)
    assert [(a["status"], a["response_code"]) for a in attempts] == [("delivered", 204)]
    body = json.loads(server.received[0].body)
    assert server.received[0].path == "/api/webhooks/1/tok"
    assert body["content"] == "Test notification" and body["username"] == "Revenge"
    assert body["embeds"][0]["title"] == "Test notification"
    assert body["embeds"][0]["footer"] == {"text": "system.test"}


async def test_custom_webhook_renders_its_template_and_signs_the_body(
    client: httpx.AsyncClient, actors: Actors, worker: Worker, clean_runtime: Runtime
) -> None:
    await allow_loopback(client, actors)
    template = (
        '{"text": {{ event.title | tojson }}, "kind": {{ event.type | tojson }},'
        ' "shows": [{% for g in event.data.groups %}{{ g.title | tojson }}'
        "{% if not loop.last %}, {% endif %}{% endfor %}]}"
    )
    async with LoopbackServer() as server:
        channel = await _channel(client, actors, {
            "kind": "custom_webhook", "config": {"url": server.url, "template": template},
            "secret": "s3cret",
        })  # fmt: skip
        event = NotificationEvent(
            "item.added", 'New "quoted" items', "",
            {"groups": [{"title": "Severance"}, {"title": "Andor"}]},
        )  # fmt: skip
        await _send(clean_runtime, channel["id"], event)
        await _attempts(client, actors, channel["id"], bool)
    (request,) = server.received
    assert json.loads(request.body) == {
        "text": 'New "quoted" items', "kind": "item.added", "shows": ["Severance", "Andor"],
    }  # fmt: skip
    expected = hmac.new(b"s3cret", request.body, hashlib.sha256).hexdigest()
    assert request.headers["x-revenge-signature"] == f"sha256={expected}"


@pytest.mark.parametrize(
    "template",
    [
        '{"text": {{ event.title | tojson }',  # does not compile
        "Title: {{ event.title }}",  # not JSON
        '{"x": "{{ event.__class__.__mro__ }}"}',  # leaves the sandbox
    ],
)
async def test_an_invalid_template_is_refused_when_saved(
    client: httpx.AsyncClient, actors: Actors, template: str
) -> None:
    config = {"url": "https://hooks.example.org/in", "template": template}
    resp = await client.post(
        CHANNELS,
        json={"kind": "custom_webhook", "name": "custom", "config": config,
              "events": ["item.added"]},
        headers=actors.as_admin,
    )  # fmt: skip
    assert resp.status_code == 400, resp.text
    assert resp.headers["content-type"] == "application/problem+json"
    assert "template" in resp.json()["detail"]
    good = await _channel(client, actors, {
        "kind": "custom_webhook",
        "config": {"url": "https://hooks.example.org/in", "template": '{"ok": true}'},
    })  # fmt: skip
    patched = await client.patch(
        f"{CHANNELS}/{good['id']}", json={"config": {"template": template}},
        headers=actors.as_admin,
    )  # fmt: skip
    assert patched.status_code == 400
    kept = await client.get(f"{CHANNELS}/{good['id']}", headers=actors.as_admin)
    assert kept.json()["config"]["template"] == '{"ok": true}'


async def test_unreachable_channel_retries_then_records_job_failed_without_blocking_scans(
    client: httpx.AsyncClient, actors: Actors, worker: Worker, clean_runtime: Runtime,
    tmp_path: Path, caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    await allow_loopback(client, actors)
    caplog.set_level(logging.INFO)
    root = tmp_path / "films"
    make_video(root / "Heat (1995)" / "Heat (1995).mkv", seconds=0.2)
    resp = await client.post(
        "/api/v1/libraries",
        json={"name": "Films", "type": "movie", "paths": [str(root)]},
        headers=actors.as_admin,
    )
    assert resp.status_code == 201, resp.text
    dead = await _channel(client, actors, {
        "kind": "ntfy", "config": {"url": f"http://127.0.0.1:{free_port()}/media"},
        "events": ["library.scan.completed"],
    })  # fmt: skip
    async with LoopbackServer() as ops:
        await _channel(client, actors, {
            "kind": "webhook", "config": {"url": ops.url}, "events": ["job.failed"],
        })  # fmt: skip
        state = await run_scan(clean_runtime, ScanRequest(uuid.UUID(resp.json()["id"]), "full"))
        assert state is not None and state.added == 1
        scans = await client.get(f"/api/v1/libraries/{resp.json()['id']}/scans",
                                 headers=actors.as_admin)  # fmt: skip
        assert scans.json()[0]["status"] == "completed"
        attempts = await _attempts(
            client, actors, dead["id"], lambda a: any(x["status"] == "gave_up" for x in a)
        )
        deadline = time.monotonic() + 10
        while not ops.received and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
    assert [a["status"] for a in attempts] == ["failed", "failed", "gave_up"]
    assert "ConnectError" in attempts[0]["error"] or "refused" in attempts[0]["error"].lower()
    failed = json.loads(ops.received[0].body)
    assert failed["type"] == "job.failed" and failed["data"]["task"] == "notifications.deliver"
    assert "library.scan.completed could not be delivered" in failed["message"]
    delivery = [r for r in caplog.records if "notifications.deliver" in r.getMessage()
                or r.name == "revenge.notifications.jobs"]  # fmt: skip
    assert delivery and all(r.levelno == logging.WARNING for r in delivery if r.levelno > 20)
    assert not [r for r in delivery if r.exc_info or r.levelno >= logging.ERROR]
    assert any("gave up after 3 attempts" in r.getMessage() for r in delivery)
