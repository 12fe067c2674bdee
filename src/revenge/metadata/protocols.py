"""Capability protocols: a provider implements the ones it can answer."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, runtime_checkable

from revenge.metadata.types import (
    Candidate,
    EpisodeMetadata,
    EpisodeQuery,
    ExternalIds,
    ItemKind,
    ItemMetadata,
)


class KeySource(Protocol):
    """Where provider API keys come from (encrypted provider credentials)."""

    async def get(self, service: str) -> str:
        """The key for `service`; raises NoProviderKey when none is configured."""
        ...


@runtime_checkable
class Provider(Protocol):
    name: str

    async def resolve_id(self, kind: ItemKind, ids: ExternalIds) -> str | None:
        """This provider's id for an item whose external ids are known, without searching."""
        ...


@runtime_checkable
class MovieProvider(Provider, Protocol):
    async def search_movie(
        self, title: str, year: int | None, language: str | None
    ) -> list[Candidate]: ...

    async def movie_details(self, provider_id: str, language: str | None) -> ItemMetadata: ...


@runtime_checkable
class TvProvider(Provider, Protocol):
    async def search_series(
        self, title: str, year: int | None, language: str | None
    ) -> list[Candidate]: ...

    async def series_details(self, provider_id: str, language: str | None) -> ItemMetadata: ...

    async def episodes(self, query: EpisodeQuery) -> list[EpisodeMetadata]: ...


@runtime_checkable
class MusicProvider(Provider, Protocol):
    async def search_album(
        self, title: str, artist: str | None, year: int | None
    ) -> list[Candidate]: ...

    async def album_details(self, provider_id: str) -> ItemMetadata: ...

    async def search_artist(self, name: str) -> list[Candidate]: ...

    async def artist_details(self, provider_id: str) -> ItemMetadata: ...

    async def search_recording(self, title: str, artist: str | None) -> list[Candidate]: ...

    async def recording_details(self, provider_id: str) -> ItemMetadata: ...


@runtime_checkable
class AudiobookProvider(Provider, Protocol):
    async def search_audiobook(
        self, title: str, author: str | None, year: int | None
    ) -> list[Candidate]: ...

    async def audiobook_details(self, provider_id: str) -> ItemMetadata: ...


class LocalSource(Protocol):
    """Metadata stored next to (or inside) the media: NFO files, embedded tags."""

    name: str

    async def read(self, kind: ItemKind, path: Path) -> ItemMetadata | None: ...
