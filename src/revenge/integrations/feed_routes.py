"""Podcast feed subscriptions: subscribe, poll now, items, OPML import and export.

Under `/api/v1/podcast-feeds` (not `/api/v1/podcasts/...`, whose `/{podcast_id}` would
shadow it). Subscribing queues a first poll at once; later polls run hourly. Admins manage
subscriptions; every user may list those of the libraries they can see and play their
items through this server (`.../episodes/{id}/stream`: how `stream` subscriptions play).
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.responses import Response, StreamingResponse
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.api.audit import Audit
from revenge.api.deps import AdminUser, CurrentUser, DbSession, RuntimeDep
from revenge.api.openapi import problem_responses
from revenge.errors import BadGateway, BadRequest, NotFound, RangeNotSatisfiable
from revenge.identity import Principal
from revenge.integrations import opml, podcasts
from revenge.integrations.models import PodcastFeed
from revenge.integrations.relay import RelayFailed, relay
from revenge.integrations.schemas import (
    FeedEpisodeOut,
    FeedIn,
    FeedOut,
    FeedPatch,
    OpmlImport,
    OpmlImported,
    PollQueued,
)
from revenge.libraries.access import allowed_library_ids

router = APIRouter(tags=["podcast feeds"])
BASE = "/api/v1/podcast-feeds"
OPML_TYPE = "text/x-opml"


def _out(feed: PodcastFeed) -> FeedOut:
    return FeedOut.model_validate(feed, from_attributes=True)


async def _visible_feed(session: AsyncSession, user: Principal, feed_id: uuid.UUID) -> PodcastFeed:
    feed = await podcasts.get_feed(session, feed_id)
    allowed = await allowed_library_ids(session, user)
    if allowed is not None and feed.library_id not in allowed:
        raise NotFound(f"No podcast feed {feed_id}.")
    return feed


@router.get(BASE)
async def list_feeds(user: CurrentUser, session: DbSession) -> list[FeedOut]:
    """Subscriptions of the libraries the caller can see."""
    allowed = await allowed_library_ids(session, user)
    feeds = await podcasts.list_feeds(session)
    return [_out(f) for f in feeds if allowed is None or f.library_id in allowed]


@router.post(
    BASE, status_code=201, responses=problem_responses({409: "Already subscribed to this URL."})
)
async def subscribe(
    body: FeedIn, _: AdminUser, session: DbSession, runtime: RuntimeDep, audit: Audit
) -> FeedOut:
    """Subscribe a podcast library to a feed; its first poll is queued at once."""
    feed = await podcasts.subscribe(session, body.url, body.library_id, body.mode)
    await podcasts.queue_refresh(session, runtime.jobs, feed.id)
    audit.resource_type, audit.resource_id = "podcast_feed", str(feed.id)
    return _out(feed)


@router.get(f"{BASE}/opml", responses={200: {"content": {OPML_TYPE: {}}}})
async def export_opml(_: AdminUser, session: DbSession, runtime: RuntimeDep) -> Response:
    """Every subscription as OPML 2.0, for podcast apps and other servers."""
    name = str(await runtime.server_settings.get("server.name"))
    document = opml.export(await podcasts.list_feeds(session), name)
    headers = {"Content-Disposition": 'attachment; filename="podcasts.opml"'}
    return Response(document, media_type=OPML_TYPE, headers=headers)


@router.post(f"{BASE}/opml", status_code=201)
async def import_opml(
    body: OpmlImport, _: AdminUser, session: DbSession, runtime: RuntimeDep
) -> OpmlImported:
    """Subscribe to every feed of an OPML document; ones already there are skipped."""
    try:
        outlines = opml.read(body.opml)
    except opml.OpmlInvalid as exc:
        raise BadRequest(f"OPML: {exc}") from None
    added, skipped = await podcasts.import_outlines(
        session, runtime.jobs, outlines, body.library_id, body.mode
    )
    return OpmlImported(added=[_out(f) for f in added], skipped=skipped)


@router.get(f"{BASE}/{{feed_id}}")
async def get_feed(feed_id: uuid.UUID, user: CurrentUser, session: DbSession) -> FeedOut:
    return _out(await _visible_feed(session, user, feed_id))


@router.patch(f"{BASE}/{{feed_id}}")
async def update_feed(
    feed_id: uuid.UUID, body: FeedPatch, _: AdminUser, session: DbSession
) -> FeedOut:
    """Switch between downloading episodes and streaming them from the feed."""
    feed = await podcasts.get_feed(session, feed_id)
    if body.mode is not None:
        feed.mode = body.mode
        await session.flush()
        await session.refresh(feed)
    return _out(feed)


@router.delete(f"{BASE}/{{feed_id}}", status_code=204)
async def unsubscribe(feed_id: uuid.UUID, _: AdminUser, session: DbSession) -> Response:
    """Stop polling; downloaded episodes stay in the library."""
    await podcasts.unsubscribe(session, feed_id)
    return Response(status_code=204)


@router.post(f"{BASE}/{{feed_id}}/poll", status_code=202)
async def poll_now(
    feed_id: uuid.UUID, _: AdminUser, session: DbSession, runtime: RuntimeDep
) -> PollQueued:
    """Queue a poll of this feed now (false: one is already queued or running)."""
    await podcasts.get_feed(session, feed_id)
    return PollQueued(queued=await podcasts.queue_refresh(session, runtime.jobs, feed_id))


@router.get(f"{BASE}/{{feed_id}}/episodes")
async def feed_episodes(
    feed_id: uuid.UUID, user: CurrentUser, session: DbSession
) -> list[FeedEpisodeOut]:
    """The feed's items, newest first, with their enclosure URL and download state."""
    await _visible_feed(session, user, feed_id)
    return [
        FeedEpisodeOut.model_validate(e, from_attributes=True)
        for e in await podcasts.episodes_of(session, feed_id)
    ]


_MEDIA: dict[str, dict[str, object]] = {
    "audio/*": {},
    "video/*": {},
    "application/octet-stream": {},
}


@router.get(
    f"{BASE}/{{feed_id}}/episodes/{{episode_id}}/stream",
    response_class=StreamingResponse,
    responses={
        200: {"content": _MEDIA, "description": "The episode, as the feed's host sends it."},
        206: {"content": _MEDIA, "description": "The part asked for with `Range`."},
        **problem_responses({
            416: "The feed's host cannot serve that range.",
            502: "The feed's host is unreachable, refused, or not allowed.",
        }),
    },
)  # fmt: skip
async def stream_episode(
    feed_id: uuid.UUID, episode_id: uuid.UUID, user: CurrentUser, session: DbSession,
    runtime: RuntimeDep, range: Annotated[str | None, Header(max_length=200)] = None,
) -> StreamingResponse:  # fmt: skip
    """Play an item from the feed's host through this server (Range requests pass on)."""
    await _visible_feed(session, user, feed_id)
    episode = await podcasts.get_episode(session, feed_id, episode_id)
    allowlist = await runtime.server_settings.outbound_allowlist()
    try:
        relayed = await relay(episode.enclosure_url, allowlist, range, episode.enclosure_type)
    except RelayFailed as exc:
        if exc.status == 416:
            raise RangeNotSatisfiable(f"The feed's host cannot serve {range}.") from None
        raise BadGateway(f"The episode could not be fetched: {exc}") from None
    return StreamingResponse(relayed.body, status_code=relayed.status, headers=relayed.headers)
