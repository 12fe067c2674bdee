"""Metadata jobs: `metadata.fetch` (one item or a batch) and the periodic `metadata.refresh`."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.infra.jobs.context import JobContext
from revenge.infra.jobs.registry import JobRegistry
from revenge.metadata.breaker import ProviderCircuitOpen
from revenge.metadata.errors import ProviderUnavailable
from revenge.metadata.providers.local_artwork import EMBEDDED_PREFIX
from revenge.metadata.service import ProvidersUnavailable
from revenge.metadata.writer import FetchOutcome, ItemFacts

if TYPE_CHECKING:
    from revenge.metadata import MetadataFeature
    from revenge.runtime import Runtime

log = logging.getLogger(__name__)

FETCH = "metadata.fetch"
REFRESH = "metadata.refresh"
IMAGES_DOWNLOAD = "images.download"
# Artwork worth downloading at once; the rest stays as URLs until a client asks for it.
PRIMARY_ARTWORK = ("poster", "backdrop", "logo", "cover", "banner", "still")
# Parents first within a batch: an identified series lets its episodes match by id.
_KIND_ORDER = {"series": 0, "album": 0, "artist": 0}
BATCH_MAX_ROUNDS = 5
# Items re-fetched when a provider becomes usable (a key stored), and per job.
REFETCH_LIMIT = 5000
REFETCH_BATCH = 100


class MetadataNotWired(RuntimeError):
    """No catalogue writer was installed (see `revenge.metadata.install`)."""


def _feature(runtime: Runtime) -> MetadataFeature | None:
    feature: MetadataFeature | None = runtime.services.get("metadata")
    return feature


async def fetch_item(runtime: Runtime, feature: MetadataFeature, item_id: str) -> FetchOutcome:
    """Identify one item and store the result; network work happens outside transactions."""
    async with runtime.db.transaction() as session:
        facts = await feature.writer.item_facts(session, item_id)
    if facts is None:
        return FetchOutcome(item_id, "unmatched", None, "item no longer exists")
    try:
        outcome = await feature.service.identify(facts)
    except ProviderUnavailable as exc:
        # The item keeps its status, but its reason says why it is still waiting: a reason
        # from an earlier attempt ("no API key configured") would now be wrong.
        async with runtime.db.transaction() as session:
            await feature.writer.record_reason(
                session, item_id, f"{exc} (fetched again automatically later)"
            )
        raise
    async with runtime.db.transaction() as session:
        if outcome.metadata is not None:
            await feature.writer.save_metadata(session, outcome)
            await enqueue_artwork(runtime, session, facts, outcome)
        if outcome.needs_review:
            await feature.writer.record_unmatched(session, outcome)
    return outcome


async def refetch_waiting_for(runtime: Runtime, session: AsyncSession, provider: str) -> int:
    """Queue a fetch of the items left unmatched because of `provider` (after its key was
    stored, say), so their metadata and reason follow the change; the number queued."""
    feature = _feature(runtime)
    if feature is None or FETCH not in runtime.registry.tasks:
        return 0
    refs = await feature.writer.waiting_for(session, provider, REFETCH_LIMIT)
    jobs: list[tuple[str, dict[str, Any], str | None]] = [
        (FETCH, {"item_ids": refs[i : i + REFETCH_BATCH]}, None)
        for i in range(0, len(refs), REFETCH_BATCH)
    ]
    await runtime.jobs.enqueue_many(session, jobs)
    return len(refs)


def artwork_payloads(facts: ItemFacts, outcome: FetchOutcome) -> list[dict[str, Any]]:
    """One `images.download` payload per primary artwork kind (first, i.e. preferred, one)."""
    if outcome.metadata is None:
        return []
    payloads: list[dict[str, Any]] = []
    for kind in PRIMARY_ARTWORK:
        art = outcome.metadata.artwork_of(kind)  # type: ignore[arg-type]
        if not art:
            continue
        source = art[0].url
        target = {"item_id": facts.item_id, "item_kind": facts.kind, "kind": kind}
        if source.startswith(("http://", "https://")):
            payloads.append({"url": source, "target": target})
        elif source.startswith(EMBEDDED_PREFIX):
            payloads.append({"embedded": source.removeprefix(EMBEDDED_PREFIX), "target": target})
        elif facts.path is not None:
            base = facts.path if facts.path.is_dir() else facts.path.parent
            payloads.append({"path": str(base / Path(source)), "target": target})
    return payloads


async def enqueue_artwork(
    runtime: Runtime, session: AsyncSession, facts: ItemFacts, outcome: FetchOutcome
) -> None:
    if IMAGES_DOWNLOAD not in runtime.registry.tasks:
        return
    jobs: list[tuple[str, dict[str, Any], str | None]] = [
        (IMAGES_DOWNLOAD, p, f"images:{facts.item_id}:{p['target']['kind']}")
        for p in artwork_payloads(facts, outcome)
    ]
    await runtime.jobs.enqueue_many(session, jobs)


def payload_item_ids(payload: dict[str, Any]) -> list[str]:
    """Writer item ids (`<kind>:<uuid>`) of a payload.

    Scans send `items: [{"kind", "id"}]`; retries and refreshes send `item_ids`; one item
    may come as `item_id`.
    """
    if payload.get("items"):
        ids = [f"{i['kind']}:{i['id']}" for i in payload["items"]]
    elif payload.get("item_ids"):
        ids = [str(i) for i in payload["item_ids"]]
    else:
        ids = [str(payload["item_id"])] if payload.get("item_id") else []
    return sorted(ids, key=lambda ref: _KIND_ORDER.get(ref.partition(":")[0], 1))


async def fetch(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Fetch one item or a batch (see `payload_item_ids`); outages retry later.

    An item a provider could not be asked about (down, timing out, its breaker open) is
    fetched again by a follow-up job after `metadata.retry_later_seconds`, doubling each
    round: what the other sources found is saved meanwhile, and the item is never marked
    unmatched for an outage. A follow-up job rather than waiting for `metadata.refresh`:
    the refresh only looks at items never fetched or fetched days ago, so an item whose
    NFO was read while TMDb was down would miss TMDb for a month. A single item whose call
    timed out raises instead, for the queue's own retries with backoff; one refused by an
    open breaker does not, as those retries would be used up during the cool-down.
    """
    feature = _feature(ctx.runtime)
    if feature is None:
        raise MetadataNotWired("metadata.fetch needs a catalogue writer")
    ids = payload_item_ids(payload)
    later: list[str] = []
    done: Counter[str] = Counter()
    waits: list[float] = [0.0]

    async def one(item_id: str) -> None:
        async with feature.slots:
            try:
                outcome = await fetch_item(ctx.runtime, feature, item_id)
            except ProviderUnavailable as exc:
                if len(ids) == 1 and not _short_circuited(exc):
                    raise
                later.append(item_id)
                waits.append(_retry_after(exc))
                return
        done[outcome.status] += 1
        if outcome.unavailable:
            later.append(item_id)

    # Items are identified side by side (see `fetch_concurrency`): one at a time, a batch
    # waited on each answer in turn and left the providers' rate limits mostly unused.
    # Parents go first, as a group: an identified series lets its episodes match by id.
    for group in _parents_first(ids):
        if len(group) == 1:
            await one(group[0])  # a single item's error reaches the queue as it is
            continue
        try:
            async with asyncio.TaskGroup() as tasks:
                for item_id in group:
                    tasks.create_task(one(item_id))
        except BaseExceptionGroup as failed:
            # The others were cancelled; the job fails (and is retried) as it did on the
            # first error when items were fetched one by one.
            raise failed.exceptions[0] from None
    if later:
        await _fetch_later(ctx, sorted(later, key=ids.index), int(payload.get("round", 0)) + 1,
                           max(waits))  # fmt: skip
    await _announce(ctx.runtime, payload, ids, done)


def _parents_first(ids: list[str]) -> list[list[str]]:
    """`ids` (already sorted parents first) split into the parents and the rest."""
    parents = [i for i in ids if i.partition(":")[0] in _KIND_ORDER]
    rest = [i for i in ids if i.partition(":")[0] not in _KIND_ORDER]
    return [group for group in (parents, rest) if group]


async def _announce(
    runtime: Runtime, payload: dict[str, Any], ids: list[str], outcomes: Counter[str]
) -> None:
    """One `metadata.fetch.completed` per fetched batch (and a live update of its items)."""
    if not outcomes:
        return
    library = uuid.UUID(payload["library_id"]) if payload.get("library_id") else None
    items = [(k, uuid.UUID(i)) for k, _, i in (ref.partition(":") for ref in ids) if _is_uuid(i)]
    async with runtime.db.transaction() as session:
        await runtime.events.metadata_fetched(session, library, outcomes, items)


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _short_circuited(exc: ProviderUnavailable) -> bool:
    """Every provider was skipped by its open breaker: nothing was actually tried."""
    errors = exc.errors.values() if isinstance(exc, ProvidersUnavailable) else [exc]
    return all(isinstance(e, ProviderCircuitOpen) for e in errors)


def _retry_after(exc: ProviderUnavailable) -> float:
    errors = exc.errors.values() if isinstance(exc, ProvidersUnavailable) else [exc]
    # Open breakers and long Retry-After answers say when a call can be made again.
    return max((getattr(e, "retry_after", None) or 0.0 for e in errors), default=0.0)


async def _fetch_later(ctx: JobContext, items: list[str], rounds: int, wait: float) -> None:
    if rounds >= BATCH_MAX_ROUNDS:
        log.warning("metadata.fetch gave up on %d items after %d rounds", len(items), rounds)
        return
    base = ctx.runtime.settings.metadata.retry_later_seconds
    # No sooner than the breakers let the providers be called again.
    delay = max(base * 2 ** (rounds - 1), wait)
    log.info("metadata.fetch: %d items fetched again in %.0fs", len(items), delay)
    async with ctx.runtime.db.transaction() as session:
        await ctx.runtime.jobs.enqueue(
            session, FETCH, {"item_ids": items, "round": rounds}, delay=timedelta(seconds=delay)
        )


async def refresh(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Re-fetch stale items in batches spread over `refresh_spread_seconds`."""
    feature = _feature(ctx.runtime)
    if feature is None:
        log.debug("metadata.refresh skipped: no catalogue writer installed")
        return
    settings = ctx.runtime.settings.metadata
    cutoff = datetime.now(UTC) - timedelta(days=settings.refresh_after_days)
    async with ctx.runtime.db.transaction() as session:
        stale = list(await feature.writer.stale_items(session, cutoff, settings.refresh_max_items))
        size = settings.refresh_batch_size
        batches = [stale[i : i + size] for i in range(0, len(stale), size)]
        spacing = settings.refresh_spread_seconds / max(1, len(batches))
        for n, batch in enumerate(batches):
            await ctx.runtime.jobs.enqueue(
                session,
                FETCH,
                {"item_ids": batch},
                dedupe_key=f"{FETCH}:refresh:{batch[0]}",
                delay=timedelta(seconds=n * spacing),
            )
    log.info("metadata.refresh queued %d items in %d batches", len(stale), len(batches))


def register(registry: JobRegistry) -> None:
    registry.task(FETCH, queue="metadata", max_attempts=5, timeout_seconds=900)(fetch)
    registry.task(REFRESH, queue="metadata", concurrency_limit=1)(refresh)
    registry.schedule("metadata.refresh.hourly", "41 * * * *", REFRESH)
