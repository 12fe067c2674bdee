"""Podcasts: the podcast libraries' shows as channels, their episodes, the newest episodes."""

from __future__ import annotations

from revenge.catalog.podcasts import service as podcasts
from revenge.compat.subsonic import shapes
from revenge.compat.subsonic.params import sid
from revenge.compat.subsonic.protocol import Payload, not_found
from revenge.compat.subsonic.registry import Ctx, method


@method("getPodcasts")
async def get_podcasts(ctx: Ctx) -> Payload:
    show_id = ctx.params.item("id", "podcast")[1] if ctx.params.get("id") else None
    with_episodes = ctx.params.flag("includeEpisodes", True)
    found = await podcasts.shows_with_episodes(ctx.session, ctx.allowed, show_id, with_episodes)
    if show_id is not None and not found:
        raise not_found("Podcast")
    channels = [
        {"id": sid("podcast", show.id), "url": "", "title": show.title,
         "description": show.description, "coverArt": sid("podcast", show.id),
         "status": "completed", "episode": [shapes.episode(e) for e in episodes]}
        for show, episodes in found
    ]  # fmt: skip
    return {"podcasts": {"channel": channels}}


@method("getNewestPodcasts")
async def get_newest_podcasts(ctx: Ctx) -> Payload:
    count = ctx.params.integer("count", 20, 0, 500)
    rows = await podcasts.newest_episodes(ctx.session, ctx.allowed, count)
    return {"newestPodcasts": {"episode": [shapes.episode(e) for e in rows]}}
