"""*arr integrations: administration, authenticating hooks, and the folder scans they ask for.

Coalescing: a hook (or a podcast download) only records its folders in
`integration_scan_requests` and queues one `integrations.scan_requested` job, delayed by the
`integrations.hook_debounce_seconds` setting and deduplicated, so a burst of hooks (a season
pack imported episode by episode) waits in one job. That job queues one `libraries.scan` per
library with all its pending folders; a library already scanning keeps its requests for the
next round (the job runs again every minute while any are left).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import posixpath
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.errors import Conflict, NotFound, Unauthorized, must_exist
from revenge.infra.jobs.queue import JobQueue
from revenge.integrations import arr
from revenge.integrations import repository as repo
from revenge.integrations.models import Integration
from revenge.integrations.tasks import ScanRequested, scan_requested
from revenge.libraries.scanner.walk import within
from revenge.libraries.watcher import reduce_folders
from revenge.scanning import service as libraries

log = logging.getLogger(__name__)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(32)


async def create_integration(
    session: AsyncSession, name: str, kind: str, mappings: list[dict[str, str]], enabled: bool
) -> tuple[Integration, str]:
    """The new integration and its secret (only its hash is kept)."""
    secret = new_secret()
    integration = await repo.add_integration(
        session, name=name.strip(), kind=kind, secret_hash=hash_secret(secret),
        path_mappings=mappings, enabled=enabled,
    )  # fmt: skip
    return integration, secret


async def list_integrations(session: AsyncSession) -> list[Integration]:
    return await repo.list_integrations(session)


async def delete_integration(session: AsyncSession, integration_id: uuid.UUID) -> None:
    if not await repo.delete_integration(session, integration_id):
        raise NotFound(f"No integration {integration_id}.")


async def get_integration(session: AsyncSession, integration_id: uuid.UUID) -> Integration:
    found = await repo.get_integration(session, integration_id)
    return must_exist(found, f"No integration {integration_id}.")


async def update_integration(
    session: AsyncSession, integration_id: uuid.UUID, name: str | None, enabled: bool | None,
    mappings: list[dict[str, str]] | None,
) -> Integration:  # fmt: skip
    """Change what was given (None: unchanged); 409 when the name is taken."""
    integration = await get_integration(session, integration_id)
    if name is not None:
        integration.name = name.strip()
    if enabled is not None:
        integration.enabled = enabled
    if mappings is not None:
        integration.path_mappings = mappings
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise Conflict(f"An integration named {name!r} already exists.") from None
    await session.refresh(integration)
    return integration


async def rotate_secret(
    session: AsyncSession, integration_id: uuid.UUID
) -> tuple[Integration, str]:
    """A new secret; the old one stops working when the caller commits."""
    integration = await get_integration(session, integration_id)
    secret = new_secret()
    integration.secret_hash = hash_secret(secret)
    await session.flush()
    return integration, secret


async def authenticate(
    session: AsyncSession, integration_id: uuid.UUID, offered: list[str]
) -> Integration:
    """The enabled integration whose secret is among `offered`; 401 otherwise (also when it
    does not exist, so ids cannot be probed)."""
    integration = await repo.get_integration(session, integration_id)
    expected = integration.secret_hash if integration is not None else hash_secret(new_secret())
    ok = False
    for candidate in offered:
        ok |= hmac.compare_digest(hash_secret(candidate), expected)
    if integration is None or not ok or not integration.enabled:
        raise Unauthorized("Wrong or missing webhook secret.")
    return integration


@dataclass
class HookOutcome:
    status: str
    folders: list[str]
    reason: str | None = None


def _library_of(folder: str, roots: list[tuple[uuid.UUID, str, bool]]) -> uuid.UUID | None:
    for library_id, root, enabled in sorted(roots, key=lambda r: -len(r[1])):
        if enabled and within(folder, root):
            return library_id
    return None


async def handle_hook(
    session: AsyncSession, jobs: JobQueue, integration: Integration, payload: dict[str, Any],
    debounce: float,
) -> HookOutcome:  # fmt: skip
    """Queue scans of the folders an event changed; say why when nothing is scanned."""
    event = str(payload.get("eventType", ""))
    if event == arr.TEST_EVENT:
        outcome = HookOutcome("ok", [])
    elif event not in arr.FILE_EVENTS:
        outcome = HookOutcome("ignored", [], f"{event} events change no files")
    else:
        outcome = await _queue_folders(session, jobs, integration, payload, debounce)
    await repo.record_event(
        session, integration.id, event, outcome.reason or f"{outcome.status} {outcome.folders}"
    )
    return outcome


async def _queue_folders(
    session: AsyncSession, jobs: JobQueue, integration: Integration, payload: dict[str, Any],
    debounce: float,
) -> HookOutcome:  # fmt: skip
    mappings = [arr.PathMapping(m["remote"], m["local"]) for m in integration.path_mappings]
    remote = arr.changed_folders(payload)
    if not remote:
        reason = f"{payload.get('eventType')} names no folder"
        log.info("hook from %s ignored: %s", integration.name, reason)
        return HookOutcome("ignored", [], reason)
    roots = await repo.library_roots(session)
    by_library: dict[uuid.UUID, list[str]] = {}
    outside: list[str] = []
    for folder in (arr.map_path(f, mappings) for f in remote):
        library_id = _library_of(folder, roots)
        if library_id is None:
            outside.append(folder)
        else:
            by_library.setdefault(library_id, []).append(folder)
    if outside:
        log.warning(
            "hook from %s: %s lies outside every enabled library folder; not scanned"
            " (a path mapping may be missing)", integration.name, ", ".join(outside),
        )  # fmt: skip
    if not by_library:
        reason = f"outside every library: {', '.join(outside)}"
        return HookOutcome("ignored", [], reason)
    for library_id, folders in by_library.items():
        await request_scan(session, jobs, library_id, folders, debounce)
    queued = sorted(f for folders in by_library.values() for f in folders)
    partly = f"outside every library: {', '.join(outside)}" if outside else None
    return HookOutcome("queued", queued, partly)


async def request_scan(
    session: AsyncSession, jobs: JobQueue, library_id: uuid.UUID, folders: list[str],
    debounce: float,
) -> None:  # fmt: skip
    """Ask for a scan of `folders` of a library; requests close together share one scan."""
    await repo.add_scan_requests(session, library_id, [posixpath.normpath(f) for f in folders])
    await scan_requested.enqueue(
        session, ScanRequested(window=True), dedupe_key=scan_requested.name,
        delay=timedelta(seconds=debounce) if debounce > 0 else None,
    )  # fmt: skip


async def queue_requested_scans(
    session: AsyncSession, jobs: JobQueue, quiet_seconds: float | None = None
) -> int:
    """Turn pending requests into one folder scan per library; returns how many are left
    waiting (their library is already scanning). With `quiet_seconds`, a library asked
    for within that time is left for its own delayed job (its burst may not be over)."""
    left = 0
    now = datetime.now(UTC)
    for library_id, taken in (await repo.pending_scan_requests(session)).items():
        newest = max(at for _, at in taken)
        if quiet_seconds is not None and (now - newest).total_seconds() < quiet_seconds:
            continue
        folders = reduce_folders({folder for folder, _ in taken})
        try:
            async with session.begin_nested():
                scan = await libraries.start_scan(session, jobs, library_id, "incremental", folders)
        except Conflict as exc:
            if "disabled" in exc.detail:
                log.info("scan requests of library %s dropped: %s", library_id, exc.detail)
                await repo.clear_scan_requests(session, library_id, taken)
            else:
                left += len(taken)
            continue
        except NotFound:
            continue
        await repo.clear_scan_requests(session, library_id, taken)
        log.info("queued scan %s of %d folder(s) of library %s", scan.id, len(folders), library_id)
    return left
