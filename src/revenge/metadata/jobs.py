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

from revenge.images.tasks import download_jobs
from revenge.infra.jobs.context import JobContext
from revenge.infra.jobs.types import NoPayload, enqueue_many
from revenge.metadata.breaker import ProviderCircuitOpen
from revenge.metadata.errors import ProviderUnavailable
from revenge.metadata.providers.local_artwork import EMBEDDED_PREFIX
from revenge.metadata.service import ProvidersUnavailable
from revenge.metadata.tasks import PARENT_KINDS, FetchMetadata, fetch_metadata, refresh_metadata
from revenge.metadata.writer import FetchOutcome, ItemFacts

if TYPE_CHECKING:
    from revenge.metadata import MetadataFeature
    from revenge.runtime import Runtime

log = logging.getLogger(__name__)

# Artwork worth downloading at once; the rest stays as URLs until a client asks for it.
PRIMARY_ARTWORK = ("poster", "backdrop", "logo", "cover", "banner", "still")
BATCH_MAX_ROUNDS = 5
# Items re-fetched when a provider becomes usable (a key stored), and per job.
REFETCH_LIMIT = 5000
REFETCH_BATCH = 100
# How long one item may take once it has its slot (requests, retries and saving included).
# The job itself has no deadline: a scan's batches share the slots, so the last batch of a
# big library waits behind all the others, and a deadline on the whole job cancelled (and
# re-ran) batches that were only waiting their turn.
ITEM_TIMEOUT_SECONDS = 300.0


class MetadataNotWired(RuntimeError):
    """No catalogue writer was installed (see `revenge.metadata.install`)."""


def _feature(runtime: Runtime) -> MetadataFeature | None:
    return runtime.metadata


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
    if feature is None:
        return 0
    refs = await feature.writer.waiting_for(session, provider, REFETCH_LIMIT)
    jobs = [
        fetch_metadata.job(FetchMetadata(item_ids=refs[i : i + REFETCH_BATCH]))
        for i in range(0, len(refs), REFETCH_BATCH)
    ]
    await enqueue_many(session, jobs)
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
    await enqueue_many(session, download_jobs(artwork_payloads(facts, outcome)))


@fetch_metadata.handler
async def fetch(ctx: JobContext, payload: FetchMetadata) -> None:
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
    ids = payload.writer_ids()
    later: list[str] = []
    done: Counter[str] = Counter()
    waits: list[float] = [0.0]

    async def one(item_id: str) -> None:
        async with feature.slots:
            try:
                async with asyncio.timeout(ITEM_TIMEOUT_SECONDS):
                    outcome = await fetch_item(ctx.runtime, feature, item_id)
            except ProviderUnavailable as exc:
                if len(ids) == 1 and not _short_circuited(exc):
                    raise
                later.append(item_id)
                waits.append(_retry_after(exc))
                return
            except TimeoutError:
                if len(ids) == 1:
                    raise
                log.warning("metadata.fetch: item %s took over %ss", item_id, ITEM_TIMEOUT_SECONDS)
                later.append(item_id)
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
        await _fetch_later(ctx, sorted(later, key=ids.index), (payload.round or 0) + 1, max(waits))
    await _announce(ctx.runtime, payload, ids, done)


def _parents_first(ids: list[str]) -> list[list[str]]:
    """`ids` (already sorted parents first) split into the parents and the rest."""
    parents = [i for i in ids if i.partition(":")[0] in PARENT_KINDS]
    rest = [i for i in ids if i.partition(":")[0] not in PARENT_KINDS]
    return [group for group in (parents, rest) if group]


async def _announce(
    runtime: Runtime, payload: FetchMetadata, ids: list[str], outcomes: Counter[str]
) -> None:
    """One `metadata.fetch.completed` per fetched batch (and a live update of its items)."""
    if not outcomes:
        return
    library = payload.library_id
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
        await fetch_metadata.enqueue(
            session, FetchMetadata(item_ids=items, round=rounds), delay=timedelta(seconds=delay)
        )


@refresh_metadata.handler
async def refresh(ctx: JobContext, payload: NoPayload) -> None:
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
            await fetch_metadata.enqueue(
                session,
                FetchMetadata(item_ids=batch),
                dedupe_key=f"{fetch_metadata.name}:refresh:{batch[0]}",
                delay=timedelta(seconds=n * spacing),
            )
    log.info("metadata.refresh queued %d items in %d batches", len(stale), len(batches))
