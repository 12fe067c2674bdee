"""Typed results every provider returns: one shape for movies, series, music and audiobooks."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Literal

ItemKind = Literal["movie", "series", "episode", "album", "artist", "track", "audiobook"]
ArtworkKind = Literal[
    "poster", "backdrop", "logo", "thumb", "banner", "still", "cover", "photo", "clearart"
]
Role = Literal[
    "actor", "director", "writer", "producer", "composer", "artist", "author", "narrator"
]
SeasonType = Literal["default", "absolute", "dvd"]

ID_KEYS = ("tmdb", "imdb", "tvdb", "musicbrainz")


@dataclass(frozen=True)
class ExternalIds:
    """Ids of one item at the providers that know it."""

    tmdb: str | None = None
    imdb: str | None = None
    tvdb: str | None = None
    musicbrainz: str | None = None

    @classmethod
    def from_mapping(cls, values: dict[str, str]) -> ExternalIds:
        return cls(**{k: str(v) for k, v in values.items() if k in ID_KEYS and v})

    def as_dict(self) -> dict[str, str]:
        return {k: v for k in ID_KEYS if (v := getattr(self, k))}

    def merged(self, other: ExternalIds) -> ExternalIds:
        """These ids, completed by `other` where unknown."""
        return ExternalIds(**{k: getattr(self, k) or getattr(other, k) for k in ID_KEYS})

    def __bool__(self) -> bool:
        return bool(self.as_dict())


@dataclass(frozen=True)
class Person:
    name: str
    role: Role
    character: str | None = None
    order: int | None = None
    image_url: str | None = None
    ids: ExternalIds = field(default_factory=ExternalIds)


@dataclass(frozen=True)
class Artwork:
    """A remote URL (or a local path for local sources) of one piece of art."""

    kind: ArtworkKind
    url: str
    language: str | None = None
    width: int | None = None
    height: int | None = None
    score: float | None = None


@dataclass(frozen=True)
class Rating:
    source: str
    value: float
    votes: int | None = None


@dataclass(frozen=True)
class CollectionRef:
    """A set the item belongs to (TMDb `belongs_to_collection`)."""

    name: str
    ids: ExternalIds = field(default_factory=ExternalIds)
    poster_url: str | None = None
    backdrop_url: str | None = None


@dataclass(frozen=True)
class EpisodeMetadata:
    season: int | None
    number: int | None
    title: str | None = None
    overview: str | None = None
    air_date: str | None = None
    absolute_number: int | None = None
    runtime_minutes: int | None = None
    still_url: str | None = None
    ids: ExternalIds = field(default_factory=ExternalIds)


@dataclass(frozen=True)
class EpisodeQuery:
    """Which episodes of a series to ask a provider for, and in which order they are numbered."""

    series_id: str
    season: int | None = None  # None: every season
    order: SeasonType = "default"
    language: str | None = None


@dataclass(frozen=True)
class TrackMetadata:
    disc: int | None
    number: int | None
    title: str
    length_ms: int | None = None
    artist: str | None = None
    ids: ExternalIds = field(default_factory=ExternalIds)


@dataclass(frozen=True)
class ItemMetadata:
    """Everything one source knows about one item; None/empty means 'not set by this source'."""

    kind: ItemKind
    title: str | None = None
    original_title: str | None = None
    sort_title: str | None = None
    year: int | None = None
    release_date: str | None = None
    overview: str | None = None
    tagline: str | None = None
    runtime_minutes: int | None = None
    content_rating: str | None = None
    original_language: str | None = None
    genres: tuple[str, ...] = ()
    studios: tuple[str, ...] = ()
    people: tuple[Person, ...] = ()
    ratings: tuple[Rating, ...] = ()
    ids: ExternalIds = field(default_factory=ExternalIds)
    artwork: tuple[Artwork, ...] = ()
    collection: CollectionRef | None = None
    episodes: tuple[EpisodeMetadata, ...] = ()
    season: int | None = None
    episode: int | None = None
    artist: str | None = None
    album: str | None = None
    tracks: tuple[TrackMetadata, ...] = ()

    def artwork_of(self, kind: ArtworkKind) -> list[Artwork]:
        return [a for a in self.artwork if a.kind == kind]

    def with_ids(self, ids: ExternalIds) -> ItemMetadata:
        return replace(self, ids=self.ids.merged(ids))


MERGE_FIELDS = tuple(f.name for f in fields(ItemMetadata) if f.name != "kind")


@dataclass(frozen=True)
class Candidate:
    """One search hit, before details are fetched."""

    provider: str
    provider_id: str
    kind: ItemKind
    title: str
    original_title: str | None = None
    year: int | None = None
    overview: str | None = None
    popularity: float | None = None
    episode_count: int | None = None
    artist: str | None = None
    aliases: tuple[str, ...] = ()
    ids: ExternalIds = field(default_factory=ExternalIds)
