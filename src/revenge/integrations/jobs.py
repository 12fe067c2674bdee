"""Integration jobs: folder scans asked for by hooks and downloads, and podcast polling.

- `integrations.scan_requested`: pending folder scan requests -> one `libraries.scan` per
  library (also every minute, for requests left while their library was scanning);
- `podcasts.poll` (hourly): queue a `podcasts.refresh` of every subscription;
- `podcasts.refresh`: one feed: conditional GET (ETag / If-Modified-Since), new items,
  downloads and removals, then a scan of the show's folder. A refused feed records its
  reason on its own subscription and touches nothing else;
- `podcasts.sync`: once that scan has catalogued the downloads, the feed's titles,
  descriptions and artwork are applied to them (checked again, less and less often, while
  some are not catalogued yet).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.infra.jobs.context import JobContext
from revenge.infra.jobs.types import NoPayload, enqueue_many
from revenge.integrations import podcasts, service
from revenge.integrations import repository as repo
from revenge.integrations import settings as keys
from revenge.integrations.downloads import DownloadFailed, download
from revenge.integrations.feed_catalogue import apply_to_catalogue
from revenge.integrations.feeds import FeedRefused, fetch_feed
from revenge.integrations.podcasts import Plan
from revenge.integrations.tasks import (
    RefreshFeed,
    ScanRequested,
    SyncFeed,
    poll_feeds,
    refresh_feed,
    sync_feed,
)
from revenge.integrations.tasks import scan_requested as scan_requested_job

if TYPE_CHECKING:
    from revenge.runtime import Runtime

log = logging.getLogger(__name__)

SYNC_ROUNDS = 8
SYNC_FIRST_DELAY = 5.0


@scan_requested_job.handler
async def scan_requested(ctx: JobContext, payload: ScanRequested) -> None:
    """After a hook's debounce window (`window`), every pending request; on the minutely
    round, only those of libraries quiet for a window (so a burst is not cut in two)."""
    quiet = None
    if not payload.window:
        quiet = float(await ctx.runtime.server_settings.get(keys.HOOK_DEBOUNCE))
    async with ctx.runtime.db.transaction() as session:
        left = await service.queue_requested_scans(session, ctx.runtime.jobs, quiet)
    if left:
        log.info("%d folder scan request(s) wait for a running scan to finish", left)


@poll_feeds.handler
async def poll(ctx: JobContext, payload: NoPayload) -> None:
    """Queue a refresh of every subscribed feed (each in its own job: one slow or broken
    feed neither delays nor fails the others)."""
    async with ctx.runtime.db.transaction() as session:
        ids = await repo.feed_ids(session)
        jobs = [refresh_feed.job(RefreshFeed(feed_id=i), podcasts.refresh_key(i)) for i in ids]
        await enqueue_many(session, jobs)


@refresh_feed.handler
async def refresh(ctx: JobContext, payload: RefreshFeed) -> None:
    runtime = ctx.runtime
    feed_id = payload.feed_id
    async with runtime.db.transaction() as session:
        feed = await repo.get_feed(session, feed_id)
    if feed is None:
        return
    allowlist = await runtime.server_settings.outbound_allowlist()
    max_bytes = int(await runtime.server_settings.get(keys.MAX_FEED_BYTES))
    try:
        fetched = await fetch_feed(feed.url, feed.etag, feed.last_modified, allowlist, max_bytes)
    except FeedRefused as exc:
        log.warning("podcast feed %s refused: %s", feed.url, exc)
        async with runtime.db.transaction() as session:
            await podcasts.record_refusal(session, feed_id, str(exc))
        return
    keep = int(await runtime.server_settings.get(keys.KEEP_EPISODES))
    async with runtime.db.transaction() as session:
        await apply_to_catalogue(session, runtime.jobs, feed)
        added = await podcasts.apply_feed(session, feed, fetched)
        feed = await repo.get_feed(session, feed_id)
        plan = await podcasts.plan_downloads(session, feed, keep) if feed else None
    log.info("podcast feed %s: %s, %d new item(s)", payload.feed_id,
             "unchanged" if fetched.facts is None else "changed", added)  # fmt: skip
    if plan is not None and (plan.download or plan.remove):
        await _carry_out(ctx, feed_id, plan)


async def _carry_out(ctx: JobContext, feed_id: uuid.UUID, plan: Plan) -> None:
    runtime = ctx.runtime
    allowlist = await runtime.server_settings.outbound_allowlist()
    max_bytes = int(await runtime.server_settings.get(keys.MAX_EPISODE_BYTES))
    changed = False
    for episode_id, url, target in plan.download:
        path: Path | None = None
        error = None
        try:
            await download(url, target, allowlist, max_bytes)
            path, changed = target, True
        except DownloadFailed as exc:
            error = str(exc)
            log.warning("podcast episode %s not downloaded: %s", url, error)
        async with runtime.db.transaction() as session:
            await podcasts.record_download(session, episode_id, path, error)
    for episode_id, file in plan.remove:
        await asyncio.to_thread(file.unlink, missing_ok=True)
        changed = True
        async with runtime.db.transaction() as session:
            await podcasts.record_removed(session, episode_id)
    if changed:
        async with runtime.db.transaction() as session:
            feed = await repo.get_feed(session, feed_id)
            if feed is not None:
                await service.request_scan(session, runtime.jobs, feed.library_id, [plan.folder], 0)
                await _queue_sync(session, runtime, feed_id, 0)


async def _queue_sync(session: AsyncSession, runtime: Runtime, feed_id: uuid.UUID, n: int) -> None:
    delay = timedelta(seconds=SYNC_FIRST_DELAY * 2**n)
    await sync_feed.enqueue(session, SyncFeed(feed_id=feed_id, round=n), delay=delay)


@sync_feed.handler
async def sync(ctx: JobContext, payload: SyncFeed) -> None:
    """Apply the feed's details to downloads the scan has catalogued since."""
    feed_id, n = payload.feed_id, payload.round
    async with ctx.runtime.db.transaction() as session:
        feed = await repo.get_feed(session, feed_id)
        left = await apply_to_catalogue(session, ctx.runtime.jobs, feed) if feed else 0
        if left and n + 1 < SYNC_ROUNDS:
            await _queue_sync(session, ctx.runtime, feed_id, n + 1)
