"""MusicBrainz web service v2 (releases, recordings, artists) and the Cover Art Archive.

MusicBrainz asks for at most one request per second per client and a User-Agent naming the
application and a contact; both come from the provider policy built in `metadata.registry`.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from revenge.metadata.errors import ProviderError, ProviderNotFound
from revenge.metadata.http import ProviderHttp
from revenge.metadata.types import (
    Artwork,
    ArtworkKind,
    Candidate,
    ExternalIds,
    ItemKind,
    ItemMetadata,
    Person,
    TrackMetadata,
)

log = logging.getLogger(__name__)

RELEASE_INC = "artist-credits+recordings+release-groups+genres+labels"
_SEARCH_LIMIT = 10
_MUSIC_KINDS = ("album", "artist", "track", "audiobook")


def lucene_phrase(field: str, value: str) -> str:
    """`field:"value"` with Lucene's quote and backslash escaped."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'{field}:"{escaped}"'


def artist_credit(credits: list[dict[str, Any]] | None) -> str | None:
    """The credited name as printed: names joined by their join phrases."""
    if not credits:
        return None
    return "".join(c.get("name", "") + c.get("joinphrase", "") for c in credits) or None


def _year(date: Any) -> int | None:
    text = str(date or "")[:4]
    return int(text) if text.isdigit() else None


class CoverArtArchive:
    """Front covers of releases; a release without art is not an error."""

    def __init__(self, http: ProviderHttp) -> None:
        self.http = http

    async def release_art(self, mbid: str) -> tuple[Artwork, ...]:
        try:
            data = await self.http.get_json(f"/release/{mbid}")
        except ProviderNotFound:
            return ()
        art: list[Artwork] = []
        for image in data.get("images") or []:
            kind: ArtworkKind | None = (
                "cover" if image.get("front") else "thumb" if image.get("back") else None
            )
            if kind and image.get("image") and image.get("approved", True):
                art.append(Artwork(kind, str(image["image"])))
        return tuple(sorted(art, key=lambda a: a.kind != "cover"))


class MusicBrainzProvider:
    """Albums, artists and tracks; audiobooks are releases of secondary type Audiobook."""

    name = "musicbrainz"

    def __init__(self, http: ProviderHttp, coverart: CoverArtArchive | None = None) -> None:
        self.http = http
        self.coverart = coverart

    async def _get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return await self.http.get_json(path, {**(params or {}), "fmt": "json"})

    async def resolve_id(self, kind: ItemKind, ids: ExternalIds) -> str | None:
        return ids.musicbrainz if kind in _MUSIC_KINDS else None

    async def _search_releases(self, query: str, kind: ItemKind) -> list[Candidate]:
        data = await self._get("/release", {"query": query, "limit": _SEARCH_LIMIT})
        return [_release_candidate(r, kind) for r in data.get("releases") or []]

    async def search_album(
        self, title: str, artist: str | None, year: int | None
    ) -> list[Candidate]:
        return await self._search_releases(_release_query(title, artist, year), "album")

    async def search_audiobook(
        self, title: str, author: str | None, year: int | None
    ) -> list[Candidate]:
        query = _release_query(title, author, year) + " AND secondarytype:audiobook"
        return await self._search_releases(query, "audiobook")

    async def album_details(self, provider_id: str) -> ItemMetadata:
        data = await self._get(f"/release/{provider_id}", {"inc": RELEASE_INC})
        return await self._with_art(_release(data, "album"), data)

    async def audiobook_details(self, provider_id: str) -> ItemMetadata:
        data = await self._get(f"/release/{provider_id}", {"inc": RELEASE_INC})
        return await self._with_art(_release(data, "audiobook"), data)

    async def _with_art(self, meta: ItemMetadata, data: dict[str, Any]) -> ItemMetadata:
        caa = data.get("cover-art-archive") or {}
        if self.coverart is None or not (caa.get("front") or caa.get("artwork")):
            return meta
        try:
            art = await self.coverart.release_art(str(data["id"]))
        except ProviderError as exc:
            # Missing art must not cost the album its metadata; a refresh picks it up later.
            log.warning("cover art unavailable for %s: %s", data["id"], exc)
            return meta
        return replace(meta, artwork=art)

    async def search_artist(self, name: str) -> list[Candidate]:
        data = await self._get(
            "/artist", {"query": lucene_phrase("artist", name), "limit": _SEARCH_LIMIT}
        )
        return [
            _candidate(
                a,
                "artist",
                a["name"],
                original_title=a.get("sort-name"),
                year=_year((a.get("life-span") or {}).get("begin")),
                aliases=tuple(x["name"] for x in a.get("aliases") or [] if x.get("name")),
            )
            for a in data.get("artists") or []
        ]

    async def artist_details(self, provider_id: str) -> ItemMetadata:
        a = await self._get(f"/artist/{provider_id}", {"inc": "genres"})
        return ItemMetadata(
            kind="artist",
            title=a.get("name"),
            sort_title=a.get("sort-name"),
            year=_year((a.get("life-span") or {}).get("begin")),
            overview=a.get("disambiguation") or None,
            genres=_genres(a),
            ids=ExternalIds(musicbrainz=a["id"]),
        )

    async def search_recording(self, title: str, artist: str | None) -> list[Candidate]:
        query = lucene_phrase("recording", title)
        if artist:
            query += " AND " + lucene_phrase("artist", artist)
        data = await self._get("/recording", {"query": query, "limit": _SEARCH_LIMIT})
        return [
            _candidate(
                r,
                "track",
                r["title"],
                year=_year(r.get("first-release-date")),
                artist=artist_credit(r.get("artist-credit")),
            )
            for r in data.get("recordings") or []
        ]

    async def recording_details(self, provider_id: str) -> ItemMetadata:
        r = await self._get(f"/recording/{provider_id}", {"inc": "artist-credits+releases+genres"})
        releases = r.get("releases") or []
        length = r.get("length")
        return ItemMetadata(
            kind="track",
            title=r.get("title"),
            year=_year(r.get("first-release-date")),
            release_date=r.get("first-release-date") or None,
            runtime_minutes=round(length / 60000) if length else None,
            genres=_genres(r),
            artist=artist_credit(r.get("artist-credit")),
            album=releases[0]["title"] if releases else None,
            people=_credited_people(r.get("artist-credit"), "artist"),
            ids=ExternalIds(musicbrainz=r["id"]),
        )


def _release_query(title: str, artist: str | None, year: int | None) -> str:
    query = lucene_phrase("release", title)
    if artist:
        query += " AND " + lucene_phrase("artist", artist)
    if year:
        query += f" AND date:{year}"
    return query


def _release_candidate(r: dict[str, Any], kind: ItemKind) -> Candidate:
    group = r.get("release-group") or {}
    return _candidate(
        r,
        kind,
        r["title"],
        year=_year(r.get("date")),
        episode_count=r.get("track-count"),
        artist=artist_credit(r.get("artist-credit")),
        aliases=(group["title"],) if group.get("title") else (),
    )


def _candidate(hit: dict[str, Any], kind: ItemKind, title: str, **more: Any) -> Candidate:
    """A search hit: MusicBrainz answers every kind with its id and a relevance score."""
    return Candidate(
        provider="musicbrainz",
        provider_id=hit["id"],
        kind=kind,
        title=title,
        popularity=hit.get("score"),
        ids=ExternalIds(musicbrainz=hit["id"]),
        **more,
    )


def _genres(data: dict[str, Any]) -> tuple[str, ...]:
    ranked = sorted(data.get("genres") or [], key=lambda g: -(g.get("count") or 0))
    return tuple(str(g["name"]).title() for g in ranked if g.get("name"))


def _credited_people(credits: list[dict[str, Any]] | None, role: Any) -> tuple[Person, ...]:
    return tuple(
        Person(
            name=c.get("name") or c["artist"]["name"],
            role=role,
            order=i,
            ids=ExternalIds(musicbrainz=c["artist"]["id"]),
        )
        for i, c in enumerate(credits or [])
        if c.get("artist")
    )


def _release(data: dict[str, Any], kind: ItemKind) -> ItemMetadata:
    tracks = tuple(
        TrackMetadata(
            disc=medium.get("position"),
            number=t.get("position"),
            title=t.get("title") or (t.get("recording") or {}).get("title", ""),
            length_ms=t.get("length") or (t.get("recording") or {}).get("length"),
            artist=artist_credit(t.get("artist-credit")),
            ids=ExternalIds(musicbrainz=(t.get("recording") or {}).get("id")),
        )
        for medium in data.get("media") or []
        for t in medium.get("tracks") or []
    )
    group = data.get("release-group") or {}
    labels = tuple(li["label"]["name"] for li in data.get("label-info") or [] if li.get("label"))
    role = "author" if kind == "audiobook" else "artist"
    date = data.get("date") or group.get("first-release-date")
    return ItemMetadata(
        kind=kind,
        title=data.get("title"),
        year=_year(date),
        release_date=date or None,
        genres=_genres(data) or _genres(group),
        studios=tuple(dict.fromkeys(labels)),
        people=_credited_people(data.get("artist-credit"), role),
        artist=artist_credit(data.get("artist-credit")),
        ids=ExternalIds(musicbrainz=data["id"]),
        tracks=tracks,
    )
