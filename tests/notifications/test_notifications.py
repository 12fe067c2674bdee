"""Notifications delivered end to end by a real worker to real loopback servers."""

from __future__ import annotations

import asyncio
import email
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator, Callable
from email.message import Message
from typing import Any

import httpx
import psycopg
import pytest
from aiosmtpd.controller import Controller

from revenge.infra.jobs.worker import Worker
from revenge.notifications.events import NotificationEvent
from revenge.runtime import Runtime
from revenge.testing.http_server import LoopbackServer, Received, Reply
from revenge.testing.services import free_port
from tests.support.actors import Actors

SECRET = "webhook-shared-secret"


@pytest.fixture
async def worker(clean_runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Worker]:
    monkeypatch.setattr(clean_runtime.settings.jobs, "retry_base_seconds", 0.2)
    monkeypatch.setattr(clean_runtime.settings.jobs, "poll_seconds", 0.2)
    monkeypatch.setattr(clean_runtime.settings.notifications, "max_attempts", 3)
    monkeypatch.setattr(clean_runtime.settings.notifications, "total_timeout_seconds", 1.0)
    monkeypatch.setattr(clean_runtime.settings.notifications, "read_timeout_seconds", 5.0)
    w = Worker(clean_runtime, ("notifications",))
    await w.start()
    yield w
    await w.stop(grace_seconds=2)


async def _allow_loopback(client: httpx.AsyncClient, actors: Actors) -> None:
    resp = await client.put(
        "/api/v1/admin/settings/http.outbound_allowlist",
        json={"value": ["127.0.0.1"]},
        headers=actors.as_admin,
    )
    assert resp.status_code == 200


async def _webhook(
    client: httpx.AsyncClient, actors: Actors, url: str, events: list[str], name: str = "hook"
) -> str:
    resp = await client.post(
        "/api/v1/admin/notifications/channels",
        json={"kind": "webhook", "name": name, "config": {"url": url}, "secret": SECRET,
              "events": events},
        headers=actors.as_admin,
    )  # fmt: skip
    assert resp.status_code == 201, resp.text
    assert "secret" not in resp.json() and resp.json()["has_secret"] is True
    return str(resp.json()["id"])


async def _attempts(
    client: httpx.AsyncClient, actors: Actors, channel_id: str, until: Callable[[list[Any]], bool]
) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 15
    while True:
        resp = await client.get(
            f"/api/v1/admin/notifications/channels/{channel_id}/attempts", headers=actors.as_admin
        )
        items: list[dict[str, Any]] = list(reversed(resp.json()["items"]))
        if until(items) or time.monotonic() > deadline:
            return items
        await asyncio.sleep(0.05)


def _signed_ok(request: Received) -> Reply:
    expected = "sha256=" + hmac.new(SECRET.encode(), request.body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(request.headers.get("x-revenge-signature", ""), expected):
        return Reply(401, b"bad signature")
    return Reply(200, b"thanks")


async def test_webhook_delivery_is_signed_and_recorded(
    client: httpx.AsyncClient, actors: Actors, worker: Worker
) -> None:
    await _allow_loopback(client, actors)
    async with LoopbackServer(_signed_ok) as server:
        channel = await _webhook(client, actors, f"{server.url}/hook", ["system.test"])
        sent = await client.post(
            f"/api/v1/admin/notifications/channels/{channel}/test", headers=actors.as_admin
        )
        assert sent.status_code == 202
        attempts = await _attempts(client, actors, channel, lambda a: bool(a))
    assert [a["status"] for a in attempts] == ["delivered"]
    assert attempts[0]["response_code"] == 200 and attempts[0]["duration_ms"] >= 0
    (request,) = server.received
    body = json.loads(request.body)
    assert body["type"] == "system.test" and body["id"] == sent.json()["event_id"]
    assert request.headers["x-revenge-timestamp"] == str(body["timestamp"])
    assert request.headers["x-revenge-event"] == "system.test"


async def test_failing_then_recovering_target_is_retried_with_backoff(
    client: httpx.AsyncClient, actors: Actors, worker: Worker
) -> None:
    await _allow_loopback(client, actors)
    calls = 0

    def flaky(request: Received) -> Reply:
        nonlocal calls
        calls += 1
        return Reply(503, b"busy") if calls <= 2 else _signed_ok(request)

    async with LoopbackServer(flaky) as server:
        channel = await _webhook(client, actors, server.url, ["system.test"])
        await client.post(
            f"/api/v1/admin/notifications/channels/{channel}/test", headers=actors.as_admin
        )
        attempts = await _attempts(
            client, actors, channel, lambda a: any(x["status"] == "delivered" for x in a)
        )
    assert [(a["attempt"], a["status"], a["response_code"]) for a in attempts] == [
        (1, "failed", 503),
        (2, "failed", 503),
        (3, "delivered", 200),
    ]
    gaps = [b.at - a.at for a, b in zip(server.received, server.received[1:], strict=False)]
    assert gaps[0] >= 0.2 and gaps[1] >= 0.4  # 0.2 s, then doubled
    assert gaps[1] > gaps[0]


async def test_gives_up_with_a_job_failed_record(
    client: httpx.AsyncClient, actors: Actors, worker: Worker, clean_runtime: Runtime,
    database_url: str,
) -> None:  # fmt: skip
    await _allow_loopback(client, actors)
    async with (
        LoopbackServer(lambda r: Reply(500, b"down")) as broken,
        LoopbackServer(_signed_ok) as ops,
    ):
        channel = await _webhook(client, actors, broken.url, ["system.test"])
        ops_channel = await _webhook(client, actors, ops.url, ["job.failed"], name="ops")
        await client.post(
            f"/api/v1/admin/notifications/channels/{channel}/test", headers=actors.as_admin
        )
        attempts = await _attempts(
            client, actors, channel, lambda a: any(x["status"] == "gave_up" for x in a)
        )
        ops_attempts = await _attempts(client, actors, ops_channel, lambda a: bool(a))
    assert [a["status"] for a in attempts] == ["failed", "failed", "gave_up"]
    assert len(broken.received) == 3
    assert (
        ops_attempts[0]["event_type"] == "job.failed" and ops_attempts[0]["status"] == "delivered"
    )
    assert json.loads(ops.received[0].body)["data"]["channel_id"] == channel

    def failed_jobs() -> int:
        with psycopg.connect(database_url) as conn:
            row = conn.execute(
                "SELECT count(*) FROM pgqueuer WHERE entrypoint = 'notifications.deliver'"
                " AND status = 'failed'"
            ).fetchone()
        return int(row[0]) if row else 0

    # The worker records the job's final status just after the last attempt.
    await _until(lambda: failed_jobs() > 0, 5)
    assert failed_jobs() == 1
    await clean_runtime.activity.flush()
    log = await client.get(
        "/api/v1/admin/activity", params={"action": "job.failed"}, headers=actors.as_admin
    )
    (entry,) = log.json()["items"]
    assert entry["success"] is False and entry["resource_id"] == channel


async def test_hanging_target_times_out_without_stalling_others(
    client: httpx.AsyncClient, actors: Actors, worker: Worker
) -> None:
    await _allow_loopback(client, actors)
    async with (
        LoopbackServer(lambda r: Reply(hang=True)) as slow,
        LoopbackServer(_signed_ok) as fast,
    ):
        slow_channel = await _webhook(client, actors, slow.url, ["system.test"], name="slow")
        fast_channel = await _webhook(client, actors, fast.url, ["system.test"], name="fast")
        started = time.monotonic()
        for channel in (slow_channel, fast_channel):
            await client.post(
                f"/api/v1/admin/notifications/channels/{channel}/test", headers=actors.as_admin
            )
        fast_attempts = await _attempts(client, actors, fast_channel, lambda a: bool(a))
        fast_done = time.monotonic() - started
        slow_attempts = await _attempts(client, actors, slow_channel, lambda a: bool(a))
    assert fast_attempts[0]["status"] == "delivered" and fast_done < 1.0
    assert slow_attempts[0]["status"] == "failed"
    assert "FetchTimeout" in slow_attempts[0]["error"]
    assert slow_attempts[0]["duration_ms"] < 2000


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:{port}/",
        "http://127.0.0.1:{port}/",
        "http://[::1]:{port}/",
        "http://169.254.169.254/latest/meta-data/",
        "http://0x7f000001:{port}/",
        "http://2130706433:{port}/",
        "redirect",
    ],
)
async def test_ssrf_targets_are_refused_unless_allowlisted(
    client: httpx.AsyncClient, actors: Actors, worker: Worker, url: str
) -> None:
    def handler(request: Received) -> Reply:
        if request.path == "/go":
            return Reply(302, b"", {"Location": f"http://127.0.0.1:{server.port}/inside"})
        return Reply(200, b"inside")

    async with LoopbackServer(handler) as server:
        if url == "redirect":
            # The first hop is allowlisted by name; its redirect to 127.0.0.1 is not.
            await client.put(
                "/api/v1/admin/settings/http.outbound_allowlist",
                json={"value": ["localhost"]},
                headers=actors.as_admin,
            )
            target = f"http://localhost:{server.port}/go"
        else:
            target = url.format(port=server.port)
        channel = await _webhook(client, actors, target, ["system.test"])
        await client.post(
            f"/api/v1/admin/notifications/channels/{channel}/test", headers=actors.as_admin
        )
        attempts = await _attempts(client, actors, channel, lambda a: bool(a))
    assert "OutboundBlocked" in attempts[0]["error"], attempts[0]
    assert all(r.path != "/inside" for r in server.received)


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        self.messages[-1]["X-Rcpt"] = ", ".join(envelope.rcpt_tos)
        return "250 OK"


async def _until(check: Callable[[], bool], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not check() and time.monotonic() < deadline:
        await asyncio.sleep(0.05)


async def test_email_channel_and_user_subscription(
    client: httpx.AsyncClient, actors: Actors, worker: Worker, clean_runtime: Runtime
) -> None:
    inbox = _Inbox()
    port = free_port()
    smtp = Controller(inbox, hostname="127.0.0.1", port=port)
    smtp.start()
    await _allow_loopback(client, actors)  # the SMTP host passes the outbound guard
    try:
        resp = await client.post(
            "/api/v1/admin/notifications/channels",
            json={
                "kind": "email",
                "name": "mail",
                "config": {"host": "127.0.0.1", "port": port, "security": "none",
                           "from_address": "revenge@example.org", "to": ["ops@example.org"]},
                "events": ["item.added"],
            },
            headers=actors.as_admin,
        )  # fmt: skip
        assert resp.status_code == 201, resp.text
        sub = await client.put(
            "/api/v1/users/me/notifications",
            json={"events": ["item.added"]},
            headers=actors.as_user,
        )
        assert sub.status_code == 200
        event = NotificationEvent("item.added", "New episode: S01E02", "Pilot, part two")
        async with clean_runtime.db.transaction() as session:
            assert await clean_runtime.notifications.send(session, event) == 2
        await _until(lambda: len(inbox.messages) >= 2)
    finally:
        smtp.stop()
    recipients = sorted(m["X-Rcpt"] for m in inbox.messages)
    assert recipients == ["alice@example.org", "ops@example.org"]
    message = inbox.messages[0]
    assert message["Subject"] == "[Revenge] New episode: S01E02"
    types = {part.get_content_type() for part in message.walk()}
    assert {"text/plain", "text/html"} <= types


async def test_send_only_enqueues_inside_the_callers_transaction(
    client: httpx.AsyncClient, actors: Actors, clean_runtime: Runtime, database_url: str
) -> None:
    await _webhook(client, actors, "https://hooks.example.org/a", ["library.scan.completed"])
    await _webhook(client, actors, "https://hooks.example.org/b", ["library.scan.completed"], "b")
    await _webhook(client, actors, "https://hooks.example.org/c", ["item.added"], "c")
    event = NotificationEvent("library.scan.completed", "Scan finished")

    def queued() -> int:
        with psycopg.connect(database_url) as conn:
            row = conn.execute(
                "SELECT count(*) FROM pgqueuer WHERE entrypoint = 'notifications.deliver'"
            ).fetchone()
        return int(row[0]) if row else 0

    with pytest.raises(RuntimeError):
        async with clean_runtime.db.transaction() as session:
            assert await clean_runtime.notifications.send(session, event) == 2
            raise RuntimeError("the caller's work failed")
    assert queued() == 0
    async with clean_runtime.db.transaction() as session:
        await clean_runtime.notifications.send(session, event)
    assert queued() == 2


async def test_channel_api_validates_and_hides_secrets(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    bad_event = await client.post(
        "/api/v1/admin/notifications/channels",
        json={"kind": "webhook", "name": "x", "config": {"url": "https://a.example"},
              "events": ["nope"]},
        headers=actors.as_admin,
    )  # fmt: skip
    assert bad_event.status_code == 422
    bad_url = await client.post(
        "/api/v1/admin/notifications/channels",
        json={"kind": "webhook", "name": "x", "config": {"url": "gopher://a"},
              "events": ["system.test"]},
        headers=actors.as_admin,
    )  # fmt: skip
    assert bad_url.status_code == 422
    channel = await _webhook(client, actors, "https://a.example/h", ["system.test"])
    dup = await client.post(
        "/api/v1/admin/notifications/channels",
        json={"kind": "webhook", "name": "hook", "config": {"url": "https://b.example"},
              "events": ["system.test"]},
        headers=actors.as_admin,
    )  # fmt: skip
    assert dup.status_code == 409
    patched = await client.patch(
        f"/api/v1/admin/notifications/channels/{channel}",
        json={"enabled": False, "events": ["item.added", "job.failed"]},
        headers=actors.as_admin,
    )
    assert patched.json()["enabled"] is False and patched.json()["events"] == [
        "item.added",
        "job.failed",
    ]
    user_view = await client.get("/api/v1/admin/notifications/channels", headers=actors.as_user)
    assert user_view.status_code == 403
    bad_sub = await client.put(
        "/api/v1/users/me/notifications", json={"events": ["job.failed"]}, headers=actors.as_user
    )
    assert bad_sub.status_code == 422
    deleted = await client.delete(
        f"/api/v1/admin/notifications/channels/{channel}", headers=actors.as_admin
    )
    assert deleted.status_code == 204
