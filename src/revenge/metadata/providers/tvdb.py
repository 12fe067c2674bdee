"""TheTVDB API v4: series, extended records and episodes by season type."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from revenge.metadata import types as md
from revenge.metadata.errors import ProviderAuthError, ProviderResponseError
from revenge.metadata.http import ProviderHttp
from revenge.metadata.protocols import KeySource
from revenge.metadata.providers.base import KeyedProvider

# Tokens last a month; renew well before, and at once on a 401.
TOKEN_LIFETIME = 25 * 86400.0
_ARTWORK_TYPES: dict[int, md.ArtworkKind] = {
    1: "banner",
    2: "poster",
    3: "backdrop",
    22: "clearart",
    23: "logo",
}
_PEOPLE_TYPES: dict[str, md.Role] = {
    "Actor": "actor",
    "Director": "director",
    "Writer": "writer",
    "Producer": "producer",
}
_LANGUAGES = {
    "en": "eng",
    "fr": "fra",
    "de": "deu",
    "es": "spa",
    "it": "ita",
    "ja": "jpn",
    "pt": "por",
    "nl": "nld",
    "sv": "swe",
    "ru": "rus",
    "zh": "zho",
    "ko": "kor",
    "pl": "pol",
    "da": "dan",
}
_MAX_PAGES = 20


def tvdb_language(language: str | None) -> str | None:
    """`en-US` -> `eng` (TheTVDB uses ISO 639-2 codes)."""
    if not language:
        return None
    return _LANGUAGES.get(language.split("-")[0].lower())


class TvdbProvider(KeyedProvider):
    """Series from TheTVDB, with a bearer token renewed on expiry and on 401."""

    name = "tvdb"

    def __init__(self, http: ProviderHttp, keys: KeySource) -> None:
        super().__init__(http, keys)
        self._token: tuple[float, str] | None = None
        self._login_lock = asyncio.Lock()
        self.logins = 0

    async def _token_value(self, stale: str | None = None) -> str:
        async with self._login_lock:
            if self._token and self._token[1] != stale and self._token[0] > time.monotonic():
                return self._token[1]
            apikey = await self.keys.get(self.name)
            self.logins += 1
            answer = await self.http.post_json("/login", {"apikey": apikey})
            try:
                token = str(answer["data"]["token"])
            except (KeyError, TypeError):
                raise ProviderResponseError(self.name, "login answer without a token") from None
            self._token = (time.monotonic() + TOKEN_LIFETIME, token)
            return token

    async def _get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        token = await self._token_value()
        try:
            body = await self.http.get_json(
                path, params, headers={"Authorization": f"Bearer {token}"}
            )
        except ProviderAuthError:
            # The token expired or was revoked early: log in again once, then trust the answer.
            token = await self._token_value(stale=token)
            body = await self.http.get_json(
                path, params, headers={"Authorization": f"Bearer {token}"}
            )
        return body

    async def resolve_id(self, kind: md.ItemKind, ids: md.ExternalIds) -> str | None:
        if kind != "series":
            return None
        if ids.tvdb:
            return ids.tvdb
        if not ids.imdb:
            return None
        found = await self._get(f"/search/remoteid/{ids.imdb}")
        for hit in found.get("data") or []:
            series = hit.get("series")
            if series and series.get("id"):
                return str(series["id"])
        return None

    async def search_series(
        self, title: str, year: int | None, language: str | None
    ) -> list[md.Candidate]:
        data = await self._get("/search", {"query": title, "type": "series", "year": year})
        return [_candidate(r, tvdb_language(language)) for r in data.get("data") or []]

    async def series_details(self, provider_id: str, language: str | None) -> md.ItemMetadata:
        body = await self._get(
            f"/series/{provider_id}/extended", {"meta": "translations", "short": "true"}
        )
        return _series(body["data"], tvdb_language(language))

    async def episodes(self, query: md.EpisodeQuery) -> list[md.EpisodeMetadata]:
        """Every episode in the chosen order (`default`, `absolute` or `dvd`), page by page."""
        found: list[md.EpisodeMetadata] = []
        path = f"/series/{query.series_id}/episodes/{query.order}"
        for page in range(_MAX_PAGES):
            params: dict[str, Any] = {"page": page, "season": query.season}
            body = await self._get(path, params)
            found.extend(_episode(e) for e in (body.get("data") or {}).get("episodes") or [])
            if not (body.get("links") or {}).get("next"):
                break
        return found


def _remote_ids(remote: list[dict[str, Any]] | None) -> md.ExternalIds:
    ids: dict[str, str] = {}
    for r in remote or []:
        source = str(r.get("sourceName", "")).lower()
        if source == "imdb":
            ids["imdb"] = str(r["id"])
        elif source.startswith("themoviedb"):
            ids["tmdb"] = str(r["id"])
    return md.ExternalIds.from_mapping(ids)


def _year(value: Any) -> int | None:
    text = str(value or "")[:4]
    return int(text) if text.isdigit() else None


def _candidate(r: dict[str, Any], language: str | None) -> md.Candidate:
    translations = r.get("translations") or {}
    title = (language and translations.get(language)) or r.get("name") or ""
    tvdb_id = str(r.get("tvdb_id") or str(r.get("id", "")).removeprefix("series-"))
    return md.Candidate(
        provider="tvdb",
        provider_id=tvdb_id,
        kind="series",
        title=title,
        original_title=r.get("name"),
        year=_year(r.get("year") or r.get("first_air_time")),
        overview=r.get("overview") or None,
        aliases=tuple(r.get("aliases") or ()),
        ids=_remote_ids(r.get("remote_ids")).merged(md.ExternalIds(tvdb=tvdb_id)),
    )


def _translated(data: dict[str, Any], language: str | None, kind: str) -> str | None:
    translations = (data.get("translations") or {}).get(f"{kind}Translations") or []
    for t in translations:
        if t.get("language") == language and t.get(kind):
            return str(t[kind])
    return None


def _series(data: dict[str, Any], language: str | None) -> md.ItemMetadata:
    artwork = tuple(
        md.Artwork(
            _ARTWORK_TYPES[a["type"]],
            a["image"],
            a.get("language"),
            a.get("width"),
            a.get("height"),
            a.get("score"),
        )
        for a in sorted(data.get("artworks") or [], key=lambda a: -(a.get("score") or 0))
        if a.get("type") in _ARTWORK_TYPES and a.get("image")
    )
    if data.get("image") and all(a.url != data["image"] for a in artwork):
        artwork = (md.Artwork("poster", data["image"]), *artwork)
    people = tuple(
        md.Person(
            name=c["personName"],
            role=_PEOPLE_TYPES[c["peopleType"]],
            character=c.get("name") if c.get("peopleType") == "Actor" else None,
            order=c.get("sort"),
            image_url=c.get("personImgURL") or c.get("image"),
            ids=md.ExternalIds(tvdb=str(c["peopleId"])) if c.get("peopleId") else md.ExternalIds(),
        )
        for c in data.get("characters") or []
        if c.get("personName") and c.get("peopleType") in _PEOPLE_TYPES
    )
    network = data.get("originalNetwork") or {}
    return md.ItemMetadata(
        kind="series",
        title=_translated(data, language, "name") or data.get("name"),
        original_title=data.get("name"),
        year=_year(data.get("year") or data.get("firstAired")),
        release_date=data.get("firstAired") or None,
        overview=_translated(data, language, "overview") or data.get("overview") or None,
        runtime_minutes=data.get("averageRuntime") or None,
        original_language=data.get("originalLanguage"),
        genres=tuple(g["name"] for g in data.get("genres") or []),
        studios=(network["name"],) if network.get("name") else (),
        people=people,
        ids=_remote_ids(data.get("remoteIds")).merged(md.ExternalIds(tvdb=str(data["id"]))),
        artwork=artwork,
    )


def _episode(e: dict[str, Any]) -> md.EpisodeMetadata:
    return md.EpisodeMetadata(
        season=e.get("seasonNumber"),
        number=e.get("number"),
        title=e.get("name"),
        overview=e.get("overview") or None,
        air_date=e.get("aired"),
        absolute_number=e.get("absoluteNumber") or None,
        runtime_minutes=e.get("runtime"),
        still_url=e.get("image") or None,
        ids=md.ExternalIds(tvdb=str(e["id"])),
    )
