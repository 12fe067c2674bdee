"""Catalogue items referenced from elsewhere (playlists, collections, search): type + id.

Resolves many references with one query per item type, giving each its title, library and
a subtitle (series, artist, audiobook) so lists can be shown without more lookups.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import null, select
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog.audiobooks.models import Audiobook, AudiobookChapter
from revenge.catalog.movies.models import Movie
from revenge.catalog.music.models import Album, Track
from revenge.catalog.podcasts.models import Podcast, PodcastEpisode
from revenge.catalog.tv.models import Episode, Series

VIDEO_TYPES = ("movie", "episode")
AUDIO_TYPES = ("track", "audiobook", "audiobook_chapter", "podcast_episode")


@dataclass(frozen=True, slots=True)
class ItemKey:
    type: str
    id: uuid.UUID
    chapter: int | None = None


@dataclass(frozen=True, slots=True)
class ItemInfo:
    key: ItemKey
    library_id: uuid.UUID
    title: str
    subtitle: str | None
    year: int | None


def _query(item_type: str) -> Any:
    """(id, library_id, title, subtitle, year[, chapter]) rows of one type."""
    if item_type == "movie":
        return select(Movie.id, Movie.library_id, Movie.title, Movie.original_title, Movie.year)
    if item_type == "episode":
        return select(
            Episode.id, Episode.library_id, Episode.title, Series.title, Series.year
        ).join(Series, Series.id == Episode.series_id)
    if item_type == "series":
        return select(Series.id, Series.library_id, Series.title, null(), Series.year)
    if item_type == "album":
        return select(Album.id, Album.library_id, Album.title, null(), Album.year)
    if item_type == "track":
        return select(Track.id, Track.library_id, Track.title, Track.artist_name, null())
    if item_type == "audiobook":
        return select(Audiobook.id, Audiobook.library_id, Audiobook.title, null(), Audiobook.year)
    if item_type == "audiobook_chapter":
        return select(
            Audiobook.id, Audiobook.library_id, AudiobookChapter.title, Audiobook.title,
            Audiobook.year, AudiobookChapter.position,
        ).join(AudiobookChapter, AudiobookChapter.audiobook_id == Audiobook.id)  # fmt: skip
    if item_type == "podcast_episode":
        return select(
            PodcastEpisode.id, PodcastEpisode.library_id, PodcastEpisode.title, Podcast.title,
            null(),
        ).join(Podcast, Podcast.id == PodcastEpisode.podcast_id)  # fmt: skip
    raise ValueError(item_type)


def _id_column(item_type: str) -> Any:
    table: Any = {
        "movie": Movie, "episode": Episode, "track": Track, "audiobook": Audiobook,
        "audiobook_chapter": Audiobook, "podcast_episode": PodcastEpisode, "series": Series,
        "album": Album,
    }[item_type]  # fmt: skip
    return table.id


async def describe(session: AsyncSession, keys: Iterable[ItemKey]) -> dict[ItemKey, ItemInfo]:
    """The items that exist among `keys` (missing ones are left out)."""
    by_type: dict[str, set[uuid.UUID]] = defaultdict(set)
    for key in keys:
        by_type[key.type].add(key.id)
    found: dict[ItemKey, ItemInfo] = {}
    for item_type, ids in by_type.items():
        stmt = _query(item_type).where(_id_column(item_type).in_(ids))
        for row in await session.execute(stmt):
            chapter = row[5] if item_type == "audiobook_chapter" else None
            key = ItemKey(item_type, row[0], chapter)
            found[key] = ItemInfo(key, row[1], row[2], row[3], row[4])
    return found


def visible(info: ItemInfo, allowed: set[uuid.UUID] | None) -> bool:
    return allowed is None or info.library_id in allowed
