"""SQL of the integrations feature: integrations, scan requests, feeds and their episodes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.infra.db.rows import add_row, delete_by_id
from revenge.integrations.models import Integration, PodcastFeed, PodcastFeedEpisode, ScanRequest
from revenge.libraries.models import Library, LibraryPath

# --- integrations -------------------------------------------------------------------------


async def list_integrations(session: AsyncSession) -> list[Integration]:
    return list((await session.execute(select(Integration).order_by(Integration.name))).scalars())


async def get_integration(session: AsyncSession, integration_id: uuid.UUID) -> Integration | None:
    return await session.get(Integration, integration_id)


async def add_integration(session: AsyncSession, **values: Any) -> Integration:
    return await add_row(session, Integration(**values))


async def delete_integration(session: AsyncSession, integration_id: uuid.UUID) -> bool:
    return await delete_by_id(session, Integration, integration_id)


async def record_event(
    session: AsyncSession, integration_id: uuid.UUID, event: str, outcome: str
) -> None:
    await session.execute(
        update(Integration)
        .where(Integration.id == integration_id)
        .values(last_event=event[:64], last_event_at=func.now(), last_outcome=outcome[:2000])
    )


async def library_roots(session: AsyncSession) -> list[tuple[uuid.UUID, str, bool]]:
    """(library id, folder, enabled) of every library folder."""
    stmt = select(LibraryPath.library_id, LibraryPath.path, Library.enabled).join(
        Library, Library.id == LibraryPath.library_id
    )
    return [(r[0], r[1], bool(r[2])) for r in (await session.execute(stmt)).all()]


# --- scan requests ------------------------------------------------------------------------


async def add_scan_requests(
    session: AsyncSession, library_id: uuid.UUID, folders: list[str]
) -> None:
    """Remember folders to scan; asking again for a pending folder only refreshes it."""
    if not folders:
        return
    stmt = insert(ScanRequest).values([{"library_id": library_id, "folder": f} for f in folders])
    stmt = stmt.on_conflict_do_update(
        index_elements=[ScanRequest.library_id, ScanRequest.folder],
        set_={"requested_at": func.clock_timestamp()},
    )
    await session.execute(stmt)


async def pending_scan_requests(
    session: AsyncSession,
) -> dict[uuid.UUID, list[tuple[str, datetime]]]:
    stmt = select(ScanRequest.library_id, ScanRequest.folder, ScanRequest.requested_at).order_by(
        ScanRequest.library_id, ScanRequest.folder
    )
    found: dict[uuid.UUID, list[tuple[str, datetime]]] = {}
    for library_id, folder, at in (await session.execute(stmt)).all():
        found.setdefault(library_id, []).append((folder, at))
    return found


async def clear_scan_requests(
    session: AsyncSession, library_id: uuid.UUID, taken: list[tuple[str, datetime]]
) -> None:
    """Forget the requests a scan was queued for; one asked again since then stays."""
    if not taken:
        return
    matches = [
        and_(ScanRequest.folder == folder, ScanRequest.requested_at <= at) for folder, at in taken
    ]
    await session.execute(
        delete(ScanRequest).where(ScanRequest.library_id == library_id, or_(*matches))
    )


# --- podcast feeds ------------------------------------------------------------------------


async def list_feeds(session: AsyncSession) -> list[PodcastFeed]:
    stmt = select(PodcastFeed).order_by(
        func.lower(func.coalesce(PodcastFeed.title, PodcastFeed.url))
    )
    return list((await session.execute(stmt)).scalars())


async def feed_ids(session: AsyncSession) -> list[uuid.UUID]:
    return list((await session.execute(select(PodcastFeed.id))).scalars())


async def get_feed(session: AsyncSession, feed_id: uuid.UUID) -> PodcastFeed | None:
    return await session.get(PodcastFeed, feed_id)


async def feed_by_url(session: AsyncSession, url: str) -> PodcastFeed | None:
    stmt = select(PodcastFeed).where(PodcastFeed.url == url)
    return (await session.execute(stmt)).scalar_one_or_none()


async def add_feed(session: AsyncSession, **values: Any) -> PodcastFeed:
    return await add_row(session, PodcastFeed(**values))


async def delete_feed(session: AsyncSession, feed_id: uuid.UUID) -> bool:
    return await delete_by_id(session, PodcastFeed, feed_id)


async def update_feed(session: AsyncSession, feed_id: uuid.UUID, **values: Any) -> None:
    await session.execute(update(PodcastFeed).where(PodcastFeed.id == feed_id).values(**values))


async def folders_in_use(
    session: AsyncSession, library_id: uuid.UUID, except_id: uuid.UUID
) -> set[str]:
    """Show folders other subscriptions of the library already write to."""
    stmt = select(PodcastFeed.folder).where(
        PodcastFeed.library_id == library_id,
        PodcastFeed.id != except_id,
        PodcastFeed.folder.is_not(None),
    )
    return {f.lower() for f in (await session.execute(stmt)).scalars() if f}


async def known_guids(session: AsyncSession, feed_id: uuid.UUID) -> set[str]:
    stmt = select(PodcastFeedEpisode.guid).where(PodcastFeedEpisode.feed_id == feed_id)
    return set((await session.execute(stmt)).scalars())


async def add_episodes(
    session: AsyncSession, feed_id: uuid.UUID, rows: list[dict[str, Any]]
) -> None:
    """Insert new feed items (a guid seen before is left as it is)."""
    if not rows:
        return
    stmt = insert(PodcastFeedEpisode).values([{**r, "feed_id": feed_id} for r in rows])
    await session.execute(stmt.on_conflict_do_nothing(index_elements=["feed_id", "guid"]))


async def episodes_of(
    session: AsyncSession, feed_id: uuid.UUID, statuses: tuple[str, ...] | None = None
) -> list[PodcastFeedEpisode]:
    """A feed's items, newest first."""
    stmt = select(PodcastFeedEpisode).where(PodcastFeedEpisode.feed_id == feed_id)
    if statuses is not None:
        stmt = stmt.where(PodcastFeedEpisode.status.in_(statuses))
    stmt = stmt.order_by(
        PodcastFeedEpisode.published_at.desc().nulls_last(), PodcastFeedEpisode.created_at.desc()
    )
    return list((await session.execute(stmt)).scalars())


async def get_episode(
    session: AsyncSession, feed_id: uuid.UUID, episode_id: uuid.UUID
) -> PodcastFeedEpisode | None:
    stmt = select(PodcastFeedEpisode).where(
        PodcastFeedEpisode.feed_id == feed_id, PodcastFeedEpisode.id == episode_id
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def update_episode(session: AsyncSession, episode_id: uuid.UUID, **values: Any) -> None:
    await session.execute(
        update(PodcastFeedEpisode).where(PodcastFeedEpisode.id == episode_id).values(**values)
    )


async def library(session: AsyncSession, library_id: uuid.UUID) -> tuple[Library, list[str]] | None:
    found = await session.get(Library, library_id)
    if found is None:
        return None
    stmt = select(LibraryPath.path).where(LibraryPath.library_id == library_id)
    paths = sorted((await session.execute(stmt)).scalars())
    return found, paths
