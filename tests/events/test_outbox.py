"""Events from real scans: written with the change, relayed once committed, delivered signed to
a loopback webhook and streamed to live clients, only to those who may see the library."""

from __future__ import annotations

import asyncio
import email
import hashlib
import hmac
import json
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import text

from revenge.infra.jobs.worker import Worker
from revenge.notifications.events import NotificationEvent
from revenge.runtime import Runtime
from revenge.scanning import scan as scan_module
from revenge.scanning.scan import ScanRequest, run_scan
from revenge.testing.http_server import LoopbackServer, Received, Reply
from revenge.testing.services import free_port
from tests.events.conftest import allow_loopback
from tests.events.sse import SseClient
from tests.support.actors import Actors
from tests.support.media import make_video

SECRET = "shared-secret"


def _signed(request: Received) -> Reply:
    expected = "sha256=" + hmac.new(SECRET.encode(), request.body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(request.headers.get("x-revenge-signature", ""), expected):
        return Reply(401, b"bad signature")
    return Reply(200, b"ok")


async def _webhook(client: httpx.AsyncClient, actors: Actors, url: str, events: list[str]) -> str:
    resp = await client.post(
        "/api/v1/admin/notifications/channels",
        json={"kind": "webhook", "name": f"hook-{uuid.uuid4().hex[:6]}", "config": {"url": url},
              "secret": SECRET, "events": events},
        headers=actors.as_admin,
    )  # fmt: skip
    assert resp.status_code == 201, resp.text
    return str(resp.json()["id"])


async def _library(
    client: httpx.AsyncClient, actors: Actors, root: Path, name: str
) -> dict[str, Any]:
    root.mkdir(parents=True, exist_ok=True)
    resp = await client.post(
        "/api/v1/libraries",
        json={"name": name, "type": "tv", "paths": [str(root)]},
        headers=actors.as_admin,
    )
    assert resp.status_code == 201, resp.text
    body: dict[str, Any] = resp.json()
    return body


def _episodes(root: Path, show: str, count: int) -> None:
    for n in range(1, count + 1):
        make_video(root / show / "Season 01" / f"{show} - S01E{n:02d}.mkv", seconds=0.2)


async def _scan(runtime: Runtime, library: dict[str, Any]) -> None:
    state = await run_scan(runtime, ScanRequest(uuid.UUID(library["id"]), "full"))
    assert state is not None


async def _until(check: Any, seconds: float = 15) -> None:
    for _ in range(int(seconds / 0.05)):
        if check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not met in time")


async def test_scan_announces_counts_and_one_batch_of_new_items(
    client: httpx.AsyncClient, actors: Actors, worker: Worker, served: str,
    clean_runtime: Runtime, tmp_path: Path,
) -> None:  # fmt: skip
    await allow_loopback(client, actors)
    root = tmp_path / "tv"
    _episodes(root, "Severance", 3)
    _episodes(root, "Andor", 1)
    library = await _library(client, actors, root, "Shows")
    async with LoopbackServer(_signed) as hook:
        await _webhook(client, actors, hook.url, ["library.scan.completed", "item.added"])
        async with SseClient(served, actors.as_admin) as live:
            await _scan(clean_runtime, library)
            await live.wait(lambda c: bool(c.of("library.scan.completed") and c.of("item.added")))
            await _until(lambda: len(hook.received) >= 2)
            await asyncio.sleep(0.5)  # nothing more arrives
    bodies = {json.loads(r.body)["type"]: json.loads(r.body) for r in hook.received}
    assert len(hook.received) == 2 and set(bodies) == {"library.scan.completed", "item.added"}
    assert all(_signed(r).status == 200 for r in hook.received)
    added = bodies["item.added"]
    assert added["title"] == "4 new items in Shows"
    lines = added["message"].splitlines()
    assert lines == ["3 new episodes of Severance", "1 new episode of Andor"]
    assert [(g["title"], g["count"]) for g in added["data"]["groups"]] == [
        ("Severance", 3), ("Andor", 1),
    ]  # fmt: skip
    counts = bodies["library.scan.completed"]["data"]["counts"]
    assert counts["files_added"] == 4 and counts["files_seen"] == 4
    (streamed,) = live.of("item.added")
    assert streamed.data["title"] == "4 new items in Shows" and streamed.id is not None
    assert live.of("library.scan.progress"), "scan progress is streamed too"


async def test_a_rolled_back_change_announces_nothing(
    client: httpx.AsyncClient, actors: Actors, served: str, clean_runtime: Runtime,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    root = tmp_path / "tv"
    _episodes(root, "Severance", 2)
    library = await _library(client, actors, root, "Shows")
    real_write = scan_module._write_progress

    async def disk_full(session: Any, state: Any, phase: str) -> None:
        await real_write(session, state, phase)
        raise OSError("No space left on device")

    monkeypatch.setattr(scan_module, "_write_progress", disk_full)
    async with SseClient(served, actors.as_admin) as live:
        with pytest.raises(OSError):
            await _scan(clean_runtime, library)
        await live.wait(lambda c: bool(c.of("library.scan.failed")))
        # A change that commits afterwards arrives; the rolled-back batch never does.
        async with clean_runtime.db.transaction() as session:
            await clean_runtime.events.settings_changed(session, "server.name")
        await live.wait(lambda c: bool(c.of("settings.changed")))
    assert live.of("item.added") == [] and live.of("library.scan.progress") == []
    async with clean_runtime.db.transaction() as session:
        episodes = (await session.execute(text("SELECT count(*) FROM episodes"))).scalar()
        waiting = (await session.execute(text("SELECT count(*) FROM event_outbox"))).scalar()
    assert episodes == 0 and waiting == 0


async def test_an_event_emitted_in_a_failed_transaction_is_never_sent(
    client: httpx.AsyncClient, actors: Actors, worker: Worker, served: str,
    clean_runtime: Runtime,
) -> None:  # fmt: skip
    await allow_loopback(client, actors)
    async with LoopbackServer(_signed) as hook:
        await _webhook(client, actors, hook.url, ["job.failed", "item.added"])
        async with SseClient(served, actors.as_admin) as live:
            with pytest.raises(RuntimeError):
                async with clean_runtime.db.transaction() as session:
                    await clean_runtime.events.emit(
                        session, NotificationEvent("item.added", "never happened")
                    )
                    raise RuntimeError("the change failed")
            async with clean_runtime.db.transaction() as session:
                await clean_runtime.events.job_failed(
                    session, task="libraries.scan", job_id=7, attempts=3, error="disk gone"
                )
            await live.wait(lambda c: bool(c.of("job.failed")))
            await _until(lambda: len(hook.received) >= 1)
            await asyncio.sleep(0.5)
    assert [json.loads(r.body)["type"] for r in hook.received] == ["job.failed"]
    assert live.of("item.added") == []


async def test_users_only_hear_about_libraries_they_may_see(
    client: httpx.AsyncClient, actors: Actors, served: str, clean_runtime: Runtime,
    tmp_path: Path,
) -> None:  # fmt: skip
    shared = await _library(client, actors, tmp_path / "shared", "Shared")
    private = await _library(client, actors, tmp_path / "private", "Private")
    _episodes(tmp_path / "shared", "Severance", 1)
    _episodes(tmp_path / "private", "Andor", 2)
    resp = await client.put(
        f"/api/v1/users/{actors.user.user_id}/libraries",
        json={"all_libraries": False, "library_ids": [shared["id"]]},
        headers=actors.as_admin,
    )
    assert resp.status_code == 200, resp.text
    async with (
        SseClient(served, actors.as_user) as alice,
        SseClient(served, actors.as_admin) as admin,
    ):
        await _scan(clean_runtime, private)
        await _scan(clean_runtime, shared)
        await admin.wait(lambda c: len(c.of("item.added")) == 2)
        await alice.wait(lambda c: bool(c.of("item.added")))
        await asyncio.sleep(0.3)
    assert [m.data["title"] for m in alice.of("item.added")] == ["1 new episode of Severance"]
    libraries = {m.data["data"].get("library_id") for m in alice.messages}
    assert private["id"] not in libraries
    assert {m.data["title"] for m in admin.of("item.added")} == {
        "1 new episode of Severance", "2 new episodes of Andor",
    }  # fmt: skip


async def test_last_event_id_replays_what_a_client_missed(
    actors: Actors, served: str, clean_runtime: Runtime
) -> None:
    async with SseClient(served, actors.as_admin) as first:
        async with clean_runtime.db.transaction() as session:
            await clean_runtime.events.settings_changed(session, "server.name")
        await first.wait(lambda c: bool(c.of("settings.changed")))
    last = first.of("settings.changed")[0].id
    assert last is not None
    for key in ("scanning.realtime", "metadata.auto_fetch"):
        async with clean_runtime.db.transaction() as session:
            await clean_runtime.events.settings_changed(session, key)
    await asyncio.sleep(0.5)  # relayed while nobody listened
    headers = {**actors.as_admin, "Last-Event-ID": last}
    async with SseClient(served, headers) as again:
        await again.wait(lambda c: len(c.of("settings.changed")) >= 2)
    keys = [m.data["data"]["key"] for m in again.of("settings.changed")]
    assert keys == ["scanning.realtime", "metadata.auto_fetch"]


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, str]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content)
        for rcpt in envelope.rcpt_tos:
            self.messages.append((rcpt, str(message["Subject"])))
        return "250 OK"


async def test_email_subscribers_only_hear_about_libraries_they_may_see(
    client: httpx.AsyncClient, actors: Actors, worker: Worker, clean_runtime: Runtime,
    tmp_path: Path,
) -> None:  # fmt: skip
    await allow_loopback(client, actors)
    inbox, port = _Inbox(), free_port()
    smtp = Controller(inbox, hostname="127.0.0.1", port=port)
    smtp.start()
    try:
        resp = await client.post(
            "/api/v1/admin/notifications/channels",
            json={"kind": "email", "name": "mail", "events": ["system.test"],
                  "config": {"host": "127.0.0.1", "port": port, "security": "none",
                             "from_address": "revenge@example.org"}},
            headers=actors.as_admin,
        )  # fmt: skip
        assert resp.status_code == 201, resp.text
        shared = await _library(client, actors, tmp_path / "shared", "Shared")
        private = await _library(client, actors, tmp_path / "private", "Private")
        _episodes(tmp_path / "shared", "Severance", 2)
        _episodes(tmp_path / "private", "Andor", 1)
        access = {"all_libraries": False, "library_ids": [shared["id"]]}
        resp = await client.put(
            f"/api/v1/users/{actors.user.user_id}/libraries", json=access, headers=actors.as_admin
        )
        assert resp.status_code == 200
        for who in (actors.as_user, actors.as_admin):
            sub = await client.put(
                "/api/v1/users/me/notifications", json={"events": ["item.added"]}, headers=who
            )
            assert sub.status_code == 200, sub.text
        await _scan(clean_runtime, private)
        await _scan(clean_runtime, shared)
        await _until(lambda: len(inbox.messages) >= 3)
        await asyncio.sleep(0.5)
    finally:
        smtp.stop()
    assert sorted(inbox.messages) == [
        ("alice@example.org", "[Revenge] 2 new episodes of Severance"),
        ("root@example.org", "[Revenge] 1 new episode of Andor"),
        ("root@example.org", "[Revenge] 2 new episodes of Severance"),
    ]


async def test_a_stream_stops_hearing_about_a_library_once_access_is_withdrawn(
    client: httpx.AsyncClient, actors: Actors, served: str, clean_runtime: Runtime,
    tmp_path: Path,
) -> None:  # fmt: skip
    shows = await _library(client, actors, tmp_path / "shows", "Shows")
    grants = f"/api/v1/users/{actors.user.user_id}/libraries"
    granted = {"all_libraries": False, "library_ids": [shows["id"]]}
    assert (await client.put(grants, json=granted, headers=actors.as_admin)).status_code == 200
    async with (
        SseClient(served, actors.as_user) as alice,
        SseClient(served, actors.as_admin) as admin,
    ):
        _episodes(tmp_path / "shows", "Severance", 1)
        await _scan(clean_runtime, shows)
        await alice.wait(lambda c: len(c.of("item.added")) == 1)
        withdrawn = {"all_libraries": False, "library_ids": []}
        resp = await client.put(grants, json=withdrawn, headers=actors.as_admin)
        assert resp.status_code == 200
        await alice.wait(lambda c: bool(c.of("access.changed")))
        _episodes(tmp_path / "shows", "Andor", 1)
        await _scan(clean_runtime, shows)
        await admin.wait(lambda c: len(c.of("item.added")) == 2)
        await asyncio.sleep(0.5)
    assert [m.data["title"] for m in alice.of("item.added")] == ["1 new episode of Severance"]
