"""Podcast feed subscriptions: what a poll changes, which episodes to download or drop.

A subscription lives in one podcast library; its show gets a folder under the library's
first folder (named after the feed's title at the first good poll, then fixed). In
`download` mode the newest `podcasts.keep_episodes` episodes are downloaded there and older
downloads removed; the folder is then queued for a scan, so episodes enter the catalogue
(and its "items added" announcements) like any file. In `stream` mode nothing is
downloaded: the episodes are listed with the feed's own enclosure URL to play from.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.errors import Conflict, NotFound, Unprocessable, must_exist
from revenge.infra.jobs.queue import JobQueue
from revenge.integrations import repository as repo
from revenge.integrations.feeds import FeedFacts, FetchedFeed
from revenge.integrations.models import PodcastFeed, PodcastFeedEpisode
from revenge.integrations.opml import Outline
from revenge.integrations.tasks import RefreshFeed, refresh_feed
from revenge.libraries.scanner.walk import AUDIO_EXTENSIONS

_MIME_EXTENSIONS = {
    "audio/mpeg": "mp3", "audio/mp3": "mp3", "audio/mp4": "m4a", "audio/x-m4a": "m4a",
    "audio/aac": "aac", "audio/ogg": "ogg", "audio/opus": "opus", "audio/flac": "flac",
    "audio/x-flac": "flac", "audio/wav": "wav", "audio/x-wav": "wav",
}  # fmt: skip
_URL = re.compile(r"https?://[^\s]{1,2040}")
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


async def subscribe(
    session: AsyncSession, url: str, library_id: uuid.UUID, mode: str
) -> PodcastFeed:
    """A new subscription (polled by the caller's queued refresh)."""
    found = await repo.library(session, library_id)
    if found is None:
        raise Unprocessable(f"No library {library_id}.", field="library_id")
    library, paths = found
    if library.type != "podcast":
        raise Unprocessable(
            f"Library {library.name!r} is not a podcast library.", field="library_id"
        )
    if not paths:
        raise Unprocessable(f"Library {library.name!r} has no folder.", field="library_id")
    if await repo.feed_by_url(session, url) is not None:
        raise Conflict(f"Already subscribed to {url}.")
    try:
        async with session.begin_nested():
            return await repo.add_feed(session, url=url, library_id=library_id, mode=mode)
    except IntegrityError:
        raise Conflict(f"Already subscribed to {url}.") from None


async def queue_refresh(session: AsyncSession, jobs: JobQueue, feed_id: uuid.UUID) -> bool:
    """Queue a poll of one feed; False when one is already queued or running."""
    job = await refresh_feed.enqueue(
        session, RefreshFeed(feed_id=feed_id), dedupe_key=refresh_key(feed_id)
    )
    return job is not None


def refresh_key(feed_id: uuid.UUID) -> str:
    """One queued or running refresh per feed."""
    return f"{refresh_feed.name}:{feed_id}"


async def import_outlines(
    session: AsyncSession, jobs: JobQueue, outlines: list[Outline], library_id: uuid.UUID,
    mode: str,
) -> tuple[list[PodcastFeed], list[dict[str, str]]]:  # fmt: skip
    """Subscribe to every outline's feed: (added, skipped with the reason)."""
    added: list[PodcastFeed] = []
    skipped: list[dict[str, str]] = []
    for outline in outlines:
        if _URL.fullmatch(outline.url) is None:
            skipped.append({"url": outline.url[:2048], "reason": "not an http(s) URL"})
            continue
        try:
            feed = await subscribe(session, outline.url, library_id, mode)
        except Conflict as exc:
            skipped.append({"url": outline.url, "reason": exc.detail})
            continue
        await queue_refresh(session, jobs, feed.id)
        added.append(feed)
    return added, skipped


async def get_feed(session: AsyncSession, feed_id: uuid.UUID) -> PodcastFeed:
    return must_exist(await repo.get_feed(session, feed_id), f"No podcast feed {feed_id}.")


async def list_feeds(session: AsyncSession) -> list[PodcastFeed]:
    return await repo.list_feeds(session)


async def unsubscribe(session: AsyncSession, feed_id: uuid.UUID) -> None:
    if not await repo.delete_feed(session, feed_id):
        raise NotFound(f"No podcast feed {feed_id}.")


async def episodes_of(session: AsyncSession, feed_id: uuid.UUID) -> list[PodcastFeedEpisode]:
    return await repo.episodes_of(session, feed_id)


async def get_episode(
    session: AsyncSession, feed_id: uuid.UUID, episode_id: uuid.UUID
) -> PodcastFeedEpisode:
    episode = await repo.get_episode(session, feed_id, episode_id)
    return must_exist(episode, f"No episode {episode_id} in podcast feed {feed_id}.")


async def record_refusal(session: AsyncSession, feed_id: uuid.UUID, reason: str) -> None:
    await repo.update_feed(
        session, feed_id, status="error", error=reason[:2000], last_polled_at=func.now()
    )


def folder_name(title: str) -> str:
    """A folder name for a show: its title without characters no file system takes."""
    name = unicodedata.normalize("NFC", _UNSAFE.sub(" ", title)).strip(" .")
    return re.sub(r"\s+", " ", name)[:120] or "Podcast"


def episode_extension(url: str, mime: str | None) -> str | None:
    """The audio extension of an enclosure (from its URL, else its type); None if not audio."""
    suffix = posixpath.splitext(urlsplit(url).path)[1].lower().lstrip(".")
    if suffix in AUDIO_EXTENSIONS:
        return suffix
    return _MIME_EXTENSIONS.get((mime or "").split(";")[0].strip().lower())


def episode_file_name(episode: PodcastFeedEpisode, extension: str) -> str:
    """`2026-11-30 - Title.mp3`: the date leads, which the podcast cataloguer reads back."""
    title = folder_name(episode.title)[:150]
    day = episode.published_at.date().isoformat() if episode.published_at else None
    return f"{day} - {title}.{extension}" if day else f"{title}.{extension}"


async def apply_feed(session: AsyncSession, feed: PodcastFeed, fetched: FetchedFeed) -> int:
    """Store a 200 answer: show details, validators and new items; returns new item count."""
    values: dict[str, object] = {"status": "ok", "error": None, "last_polled_at": func.now()}
    if fetched.facts is None:
        await repo.update_feed(session, feed.id, **values)
        return 0
    facts: FeedFacts = fetched.facts
    values.update(
        title=facts.title, author=facts.author, description=facts.description,
        link=facts.link, image_url=facts.image_url, etag=fetched.etag,
        last_modified=fetched.last_modified, last_changed_at=func.now(),
        folder=feed.folder or await _free_folder(session, feed, folder_name(facts.title)),
    )  # fmt: skip
    await repo.update_feed(session, feed.id, **values)
    known = await repo.known_guids(session, feed.id)
    rows = [
        {
            "guid": e.guid, "title": e.title, "description": e.description,
            "published_at": e.published_at, "enclosure_url": e.enclosure_url,
            "enclosure_type": e.enclosure_type, "enclosure_length": e.enclosure_length,
            "duration_seconds": e.duration_seconds, "image_url": e.image_url,
        }
        for e in {e.guid: e for e in facts.episodes if e.guid not in known}.values()
    ]  # fmt: skip
    await repo.add_episodes(session, feed.id, rows)
    return len(rows)


async def _free_folder(session: AsyncSession, feed: PodcastFeed, wanted: str) -> str:
    """`wanted`, or `wanted (2)`...: two shows of one title must not share a folder."""
    taken = await repo.folders_in_use(session, feed.library_id, feed.id)
    name, n = wanted, 1
    while name.lower() in taken:
        n += 1
        name = f"{wanted} ({n})"
    return name


@dataclass
class Plan:
    """What a download-mode poll does next: episodes to fetch, files to drop."""

    root: str
    folder: str
    download: list[tuple[uuid.UUID, str, Path]]
    remove: list[tuple[uuid.UUID, Path]]


async def plan_downloads(session: AsyncSession, feed: PodcastFeed, keep: int) -> Plan | None:
    """The newest `keep` episodes (all when 0) are wanted on disk; older ones are not."""
    found = await repo.library(session, feed.library_id)
    if found is None or not found[1] or feed.folder is None or feed.mode != "download":
        return None
    root = found[1][0]
    show = Path(root) / feed.folder
    episodes = await repo.episodes_of(session, feed.id, ("available", "failed", "downloaded"))
    wanted, unwanted = (episodes[:keep], episodes[keep:]) if keep else (episodes, [])
    plan = Plan(root, str(show), [], [])
    for episode in wanted:
        if episode.status == "downloaded":
            continue
        extension = episode_extension(episode.enclosure_url, episode.enclosure_type)
        if extension is None:
            await repo.update_episode(
                session, episode.id, status="skipped", error="not an audio file: stream it"
            )
            continue
        target = show / episode_file_name(episode, extension)
        plan.download.append((episode.id, episode.enclosure_url, target))
    for episode in unwanted:
        if episode.status == "downloaded" and episode.file_path:
            plan.remove.append((episode.id, Path(episode.file_path)))
        else:
            await repo.update_episode(session, episode.id, status="skipped")
    return plan


async def record_download(
    session: AsyncSession, episode_id: uuid.UUID, path: Path | None, error: str | None
) -> None:
    if path is not None:
        await repo.update_episode(
            session, episode_id, status="downloaded", file_path=str(path), error=None
        )
    else:
        await repo.update_episode(session, episode_id, status="failed", error=(error or "")[:2000])


async def record_removed(session: AsyncSession, episode_id: uuid.UUID) -> None:
    await repo.update_episode(session, episode_id, status="removed")
