"""The scan half of bench/events.py: 500 new episodes of 20 series, notifications on or off."""

from __future__ import annotations

import asyncio
import email
import json
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy import text

from revenge.config import Settings
from revenge.events.runner import start_events
from revenge.infra.jobs.worker import Worker
from revenge.libraries import repository as lib_repo
from revenge.runtime import Runtime
from revenge.scanning.scan import ScanRequest, run_scan
from revenge.testing.http_server import LoopbackServer, Received, Reply
from revenge.testing.services import free_port

SERIES, EPISODES = 20, 25
HOOKS, EMAIL_USERS = 5, 3


class Inbox:
    """SMTP handler counting `item.added` mails per (recipient, subject)."""

    def __init__(self) -> None:
        self.received: Counter[tuple[str, str]] = Counter()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content)
        for rcpt in envelope.rcpt_tos:
            self.received[(rcpt, str(message["Subject"]))] += 1
        return "250 OK"


def build_tree(root: Path) -> None:
    for s in range(SERIES):
        folder = root / f"Show {s:02d}" / "Season 01"
        folder.mkdir(parents=True)
        for e in range(1, EPISODES + 1):
            (folder / f"Show {s:02d} - S01E{e:02d}.mkv").touch()


async def _library(runtime: Runtime, root: Path, name: str) -> uuid.UUID:
    async with runtime.db.transaction() as session:
        library = await lib_repo.add_library(
            session, {"name": name, "type": "tv"}, [str(root.resolve())]
        )
        return library.id


async def _subscribers(runtime: Runtime, hook_url: str, smtp_port: int) -> None:
    async with runtime.db.transaction() as session:
        await runtime.server_settings.set(session, "http.outbound_allowlist", ["127.0.0.1"], None)
        for n in range(HOOKS):
            await runtime.notifications.create_channel(
                session, name=f"hook {n}", kind="webhook", config={"url": f"{hook_url}/{n}"},
                secret="s", events=["item.added", "library.scan.completed"], enabled=True,
                actor=None,
            )  # fmt: skip
        await runtime.notifications.create_channel(
            session, name="mail", kind="email",
            config={"host": "127.0.0.1", "port": smtp_port, "security": "none",
                    "from_address": "revenge@example.org", "to": []},
            secret=None, events=["system.test"], enabled=True, actor=None,
        )  # fmt: skip
        for n in range(EMAIL_USERS):
            user = uuid.uuid4()
            await session.execute(
                text("INSERT INTO users (id, username, email) VALUES (:id, :u, :e)"),
                {"id": user, "u": f"viewer{n}", "e": f"viewer{n}@example.org"},
            )
            await session.execute(
                text("INSERT INTO notification_subscriptions (user_id, event_type)"
                     " VALUES (:id, 'item.added')"),
                {"id": user},
            )  # fmt: skip


async def _unsubscribe(runtime: Runtime) -> None:
    async with runtime.db.transaction() as session:
        await session.execute(text("DELETE FROM notification_channels"))
        await session.execute(text("DELETE FROM users WHERE username LIKE 'viewer%'"))


async def _timed_scan(runtime: Runtime, library_id: uuid.UUID) -> float:
    started = time.perf_counter()
    state = await run_scan(runtime, ScanRequest(library_id, "full"))
    elapsed = time.perf_counter() - started
    assert state is not None and state.added == SERIES * EPISODES, state
    return elapsed


def _hook_counts(received: list[Received], library_id: uuid.UUID) -> list[int]:
    per_hook: Counter[str] = Counter()
    for request in received:
        body = json.loads(request.body)
        if body["type"] == "item.added" and body["data"]["library_id"] == str(library_id):
            per_hook[request.path] += 1
    return [per_hook[f"/{n}"] for n in range(HOOKS)]


async def _on_round(
    runtime: Runtime, root: Path, name: str, hooks: LoopbackServer, inbox: Inbox, port: int
) -> tuple[float, list[int]]:
    await _subscribers(runtime, hooks.url, port)
    stop_events = await start_events(runtime, live=False)
    try:
        library = await _library(runtime, root, name)
        await asyncio.sleep(1.0)  # the worker's and relay's start-up is not the scan's cost
        elapsed = await _timed_scan(runtime, library)
        subject = f"[Revenge] {SERIES * EPISODES} new items in {name}"
        expected = HOOKS * 2 + EMAIL_USERS
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            mails = sum(n for (_, s), n in inbox.received.items() if s == subject)
            if len([r for r in hooks.received if name in r.body.decode()]) + mails >= expected:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)  # anything extra would arrive now
        mails_per_user = [inbox.received[(f"viewer{n}@example.org", subject)]
                          for n in range(EMAIL_USERS)]  # fmt: skip
        return elapsed, _hook_counts(hooks.received, library) + mails_per_user
    finally:
        await stop_events()
        await _unsubscribe(runtime)


async def _off_round(runtime: Runtime, root: Path, name: str) -> float:
    library = await _library(runtime, root, name)
    await asyncio.sleep(1.0)  # as the "on" round waits
    elapsed = await _timed_scan(runtime, library)
    async with runtime.db.transaction() as session:  # nobody relays: nobody hears
        await session.execute(text("DELETE FROM event_outbox"))
    return elapsed


async def scan_bench(db_url: str, rounds: int) -> dict[str, list[float]]:
    base = Path(tempfile.mkdtemp(prefix="revenge-bench-events-scan-"))
    settings = Settings(
        data_dir=base / "data", database_url=db_url,
        scanning={"realtime": False, "interval_hours": 0},  # type: ignore[arg-type]
    )  # fmt: skip
    runtime = await Runtime.create(settings, apply_migrations=False)
    inbox, port = Inbox(), free_port()
    smtp = Controller(inbox, hostname="127.0.0.1", port=port)
    smtp.start()
    times: dict[str, list[float]] = {"on": [], "off": []}
    counts: list[list[int]] = []
    # Scans run inside a job worker, which also delivers notifications: it runs either way.
    worker = Worker(runtime, ("notifications",))
    await worker.start()
    try:
        async with LoopbackServer(lambda _r: Reply(200, b"ok")) as hooks:
            for r in range(rounds):
                for mode in ("off", "on") if r % 2 == 0 else ("on", "off"):
                    root, name = base / f"{mode}{r}", f"tv {mode} {r}"
                    build_tree(root)
                    if mode == "on":
                        elapsed, per = await _on_round(runtime, root, name, hooks, inbox, port)
                        counts.append(per)
                    else:
                        elapsed = await _off_round(runtime, root, name)
                    times[mode].append(elapsed)
    finally:
        await worker.stop(grace_seconds=5)
        smtp.stop()
        await runtime.close()
    subscribers = HOOKS + EMAIL_USERS
    print(f"scan: {SERIES * EPISODES} new episodes of {SERIES} series; {subscribers}"
          f" subscribers ({HOOKS} webhook channels, {EMAIL_USERS} users by email)")  # fmt: skip
    for n, per in enumerate(counts):
        print(f"  round {n + 1}: item.added notifications per subscriber: {per}")
    ok = all(c == 1 for per in counts for c in per)
    print(f"notifications per subscriber per scan = 1 batch: {'yes' if ok else 'NO'}")
    return times
