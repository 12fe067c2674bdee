"""Emitting events: each is written to the outbox in the transaction of its change.

Nothing here sends anything. `revenge.events.relay` turns committed outbox rows into
`notifications.deliver` jobs and live updates, so work that rolls back announces nothing and
work that commits is announced even if the process dies right after. Live-only updates
(progress, changes: no channel hears them) skip the outbox where this process publishes live
updates itself: they ride the caller's transaction (NOTIFY) or follow its commit (Redis), so a
scan pays no relay round trip per batch.

Who sees an event (live streams and per-user subscriptions): one user only (`user_id`),
administrators only (`admin_only`), or everyone who may see its library (`library_id`, the
rule of `revenge.libraries.access`); events with none of these reach every signed-in user.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.events import repository as repo
from revenge.events.announce import describe_new_items
from revenge.events.live import LiveBus, LiveEvent
from revenge.infra.db.hooks import after_commit
from revenge.notifications.events import NotificationEvent


@dataclass(frozen=True)
class Audience:
    library_id: uuid.UUID | None = None
    user_id: uuid.UUID | None = None
    admin_only: bool = False


ADMINS = Audience(admin_only=True)
EVERYONE = Audience()


class EventService:
    def __init__(self) -> None:
        # Set by this process's relay: a commit here wakes it at once (others via NOTIFY).
        self.wake: Callable[[], None] | None = None
        # Set where this process publishes live updates (see revenge.events.runner).
        self.live: LiveBus | None = None

    async def emit(
        self,
        session: AsyncSession,
        event: NotificationEvent,
        audience: Audience = EVERYONE,
        *,
        notify: bool = True,
    ) -> None:
        """Write one event into the caller's transaction."""
        await self.emit_many(session, [(event, audience)], notify=notify)

    async def emit_many(
        self,
        session: AsyncSession,
        events: Sequence[tuple[NotificationEvent, Audience]],
        *,
        notify: bool = True,
    ) -> None:
        if not events:
            return
        if not notify and self.live is not None:
            ids = await repo.next_ids(session, len(events))
            await self.live.publish(session, [
                LiveEvent(i, e.type, e.to_json(), a.library_id, a.user_id, a.admin_only)
                for i, (e, a) in zip(ids, events, strict=True)
            ])  # fmt: skip
            return
        rows = [
            {
                "type": e.type,
                "body": e.to_json(),
                "library_id": a.library_id,
                "user_id": a.user_id,
                "admin_only": a.admin_only,
                "notify": notify,
            }
            for e, a in events
        ]
        await repo.add(session, rows)
        if self.wake is not None:
            after_commit(session, self.wake)

    # -- scans -----------------------------------------------------------------------------

    async def hold_new_items(
        self, session: AsyncSession, library_id: uuid.UUID, items: Sequence[tuple[str, uuid.UUID]]
    ) -> None:
        """Keep a scan batch's new items for the one announcement at the end of the scan."""
        await repo.hold_new_items(session, library_id, items)

    async def scan_progress(
        self, session: AsyncSession, library_id: uuid.UUID, scan_id: uuid.UUID, phase: str,
        counts: Mapping[str, int],
    ) -> None:  # fmt: skip
        event = NotificationEvent(
            "library.scan.progress",
            f"Scan {phase}",
            data={"library_id": str(library_id), "scan_id": str(scan_id), "phase": phase,
                  "counts": dict(counts)},
        )  # fmt: skip
        await self.emit(session, event, Audience(library_id=library_id), notify=False)

    async def scan_finished(
        self,
        session: AsyncSession,
        *,
        library_id: uuid.UUID,
        scan_id: uuid.UUID,
        counts: Mapping[str, int],
        error: str | None = None,
    ) -> None:
        """`library.scan.completed` (or `.failed`) with counts, and one `item.added` for
        everything the scan (or an earlier one that stopped part-way) created."""
        name = await repo.library_name(session, library_id) or "a library"
        audience = Audience(library_id=library_id)
        events: list[tuple[NotificationEvent, Audience]] = []
        added = await describe_new_items(session, library_id, name)
        if added is not None:
            events.append((added, audience))
        data: dict[str, Any] = {
            "library_id": str(library_id), "library": name, "scan_id": str(scan_id),
            "counts": dict(counts),
        }  # fmt: skip
        if error is None:
            summary = ", ".join(f"{n} {k.removeprefix('files_')}" for k, n in counts.items() if n)
            title = f"Scan of {name} completed"
            events.append(
                (NotificationEvent("library.scan.completed", title, summary, data), audience)
            )
        else:
            data["error"] = error
            failed = NotificationEvent("library.scan.failed", f"Scan of {name} failed", error, data)
            events.append((failed, audience))
        await self.emit_many(session, events)

    # -- metadata, items, playback ----------------------------------------------------------

    async def metadata_fetched(
        self, session: AsyncSession, library_id: uuid.UUID | None, outcomes: Mapping[str, int],
        items: Sequence[tuple[str, uuid.UUID]],
    ) -> None:  # fmt: skip
        """One event per fetched batch, and a live `item.changed` for the items. Batches
        of no known library (refreshes, retries) are told to administrators only."""
        total = sum(outcomes.values())
        summary = ", ".join(f"{n} {status}" for status, n in sorted(outcomes.items()) if n)
        data = {"library_id": _str(library_id), "items": total, "outcomes": dict(outcomes)}
        audience = Audience(library_id=library_id) if library_id else ADMINS
        done = NotificationEvent(
            "metadata.fetch.completed", f"Metadata fetched for {total} items", summary, data
        )
        await self.emit(session, done, audience)
        await self.items_changed(session, library_id, items)

    async def items_changed(
        self, session: AsyncSession, library_id: uuid.UUID | None,
        items: Sequence[tuple[str, uuid.UUID]],
    ) -> None:  # fmt: skip
        if not items:
            return
        listed = [{"kind": k, "id": str(i)} for k, i in items[:100]]
        data = {"library_id": _str(library_id), "items": listed, "count": len(items)}
        event = NotificationEvent("item.changed", f"{len(items)} items changed", data=data)
        audience = Audience(library_id=library_id) if library_id else ADMINS
        await self.emit(session, event, audience, notify=False)

    async def transcode_failed(
        self, session: AsyncSession, *, user_id: uuid.UUID, username: str, item_title: str,
        library_id: uuid.UUID | None, reason: str, data: Mapping[str, Any] | None = None,
    ) -> None:  # fmt: skip
        """Playback could not transcode an item for a user (for administrators)."""
        event = NotificationEvent(
            "playback.transcode.failed",
            f"Transcoding {item_title} failed",
            f"{username}'s playback stopped: {reason}",
            {"user_id": str(user_id), "library_id": _str(library_id),
             "reason": reason, **(data or {})},
        )  # fmt: skip
        await self.emit(session, event, ADMINS)

    async def playback_session(
        self, session: AsyncSession, action: str, data: Mapping[str, Any]
    ) -> None:
        """A playback session started, changed or ended (live, administrators)."""
        event = NotificationEvent("playback.session", f"Playback {action}", data=dict(data))
        await self.emit(session, event, ADMINS, notify=False)

    # -- accounts, settings, jobs -----------------------------------------------------------

    async def signed_in(
        self, session: AsyncSession, *, user_id: uuid.UUID, device: str | None,
        address: str | None, description: str,
    ) -> bool:  # fmt: skip
        """Remember where a user signed in from; announce a device or address new to them
        (not the very first sign-in). True when announced."""
        origins = [("device", device), ("address", address)]
        known, added = await repo.remember_origins(
            session, user_id, [(k, v[:300]) for k, v in origins if v]
        )
        if not (known and added):
            return False
        new = dict(added)
        event = NotificationEvent(
            "auth.login.new_device",
            "Sign-in from a new device" if "device" in new else "Sign-in from a new address",
            f"{description} signed in from {address or 'an unknown address'}.",
            {"user_id": str(user_id), "device": device, "address": address,
             "new": sorted(new)},
        )  # fmt: skip
        await self.emit(session, event, Audience(user_id=user_id))
        return True

    async def sessions_revoked(
        self, session: AsyncSession, user_ids: Sequence[uuid.UUID], reason: str
    ) -> None:
        """Tell the users' open live streams to check their session (closed if revoked)."""
        events = [
            (
                NotificationEvent("session.revoked", "Sessions ended", data={"reason": reason}),
                Audience(user_id=u),
            )
            for u in dict.fromkeys(user_ids)
        ]
        await self.emit_many(session, events, notify=False)

    async def access_changed(self, session: AsyncSession, user_id: uuid.UUID) -> None:
        """The user's role or libraries changed: their live streams re-read what they see."""
        event = NotificationEvent("access.changed", "What you can see changed")
        await self.emit(session, event, Audience(user_id=user_id), notify=False)

    async def settings_changed(self, session: AsyncSession, key: str) -> None:
        event = NotificationEvent("settings.changed", f"Setting {key} changed", data={"key": key})
        await self.emit(session, event, EVERYONE, notify=False)

    async def job_failed(
        self, session: AsyncSession, *, task: str, job_id: int, attempts: int, error: str,
        data: Mapping[str, Any] | None = None,
    ) -> None:  # fmt: skip
        event = NotificationEvent(
            "job.failed",
            f"Job {task} failed",
            f"{task} failed after {attempts} attempts: {error}",
            {"job_id": job_id, "task": task, "attempts": attempts, **(data or {})},
        )
        await self.emit(session, event, ADMINS)


def _str(value: uuid.UUID | None) -> str | None:
    return str(value) if value is not None else None
