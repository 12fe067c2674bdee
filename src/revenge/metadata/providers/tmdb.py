"""TMDb (The Movie Database) API v3: movies and TV series."""

from __future__ import annotations

import time
from typing import Any

from revenge.metadata import types as md
from revenge.metadata.errors import ProviderNotFound, ProviderResponseError
from revenge.metadata.providers.base import KeyedProvider

APPEND = "credits,images,external_ids"
_CONFIG_TTL = 86400.0
_CREW_ROLES: dict[str, md.Role] = {
    "Director": "director",
    "Screenplay": "writer",
    "Writer": "writer",
    "Producer": "producer",
    "Original Music Composer": "composer",
}
_IMAGE_KINDS: dict[str, md.ArtworkKind] = {
    "posters": "poster",
    "backdrops": "backdrop",
    "logos": "logo",
}
_MAX_CAST = 50


class TmdbProvider(KeyedProvider):
    """Movies and series from TMDb; image URLs come from `/configuration`."""

    name = "tmdb"
    # (expiry, `<secure_base_url>original`) once read.
    _image_base: tuple[float, str] | None = None

    async def _get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        key = await self.keys.get(self.name)
        # A v4 "read access token" is a JWT; a v3 key is 32 hex characters sent as a parameter.
        if "." in key:
            return await self.http.get_json(
                path, params, headers={"Authorization": f"Bearer {key}"}
            )
        return await self.http.get_json(path, params, secret_params={"api_key": key})

    async def image_base(self) -> str:
        """`<secure_base_url>original`, refreshed daily."""
        if self._image_base and self._image_base[0] > time.monotonic():
            return self._image_base[1]
        config = await self._get("/configuration")
        try:
            base = str(config["images"]["secure_base_url"]) + "original"
        except (KeyError, TypeError):
            raise ProviderResponseError(self.name, "configuration without images") from None
        self._image_base = (time.monotonic() + _CONFIG_TTL, base)
        return base

    async def resolve_id(self, kind: md.ItemKind, ids: md.ExternalIds) -> str | None:
        if kind not in ("movie", "series"):
            return None
        if ids.tmdb:
            return ids.tmdb
        source = ("imdb_id", ids.imdb) if ids.imdb else ("tvdb_id", ids.tvdb) if ids.tvdb else None
        if source is None or (kind == "movie" and source[0] == "tvdb_id"):
            return None
        found = await self._get(f"/find/{source[1]}", {"external_source": source[0]})
        results = found.get("movie_results" if kind == "movie" else "tv_results") or []
        return str(results[0]["id"]) if results else None

    async def search_movie(
        self, title: str, year: int | None, language: str | None
    ) -> list[md.Candidate]:
        params = {"query": title, "year": year, "language": language, "include_adult": "false"}
        data = await self._get("/search/movie", params)
        return [_candidate(r, "movie") for r in data.get("results", [])]

    async def search_series(
        self, title: str, year: int | None, language: str | None
    ) -> list[md.Candidate]:
        params = {"query": title, "first_air_date_year": year, "language": language}
        data = await self._get("/search/tv", params)
        return [_candidate(r, "series") for r in data.get("results", [])]

    async def movie_details(self, provider_id: str, language: str | None) -> md.ItemMetadata:
        data = await self._get(
            f"/movie/{provider_id}", {"append_to_response": APPEND, "language": language}
        )
        return _movie(data, await self.image_base())

    async def series_details(self, provider_id: str, language: str | None) -> md.ItemMetadata:
        data = await self._get(
            f"/tv/{provider_id}", {"append_to_response": APPEND, "language": language}
        )
        return _series(data, await self.image_base())

    async def episodes(self, query: md.EpisodeQuery) -> list[md.EpisodeMetadata]:
        """Episodes in broadcast order; TMDb has no DVD or absolute order of its own."""
        if query.order != "default":
            raise ProviderNotFound(self.name, f"no {query.order} episode order")
        series, language = query.series_id, query.language
        if query.season is None:
            # The very request `series_details` makes: answered from the cache (or the same
            # request in flight), not sent a second time.
            show = await self._get(
                f"/tv/{series}", {"append_to_response": APPEND, "language": language}
            )
            seasons = [int(s["season_number"]) for s in show.get("seasons", [])]
        else:
            seasons = [query.season]
        base = await self.image_base()
        found: list[md.EpisodeMetadata] = []
        for number in seasons:
            data = await self._get(f"/tv/{series}/season/{number}", {"language": language})
            found.extend(_episode(e, base) for e in data.get("episodes", []))
        return found


def _year(date: Any) -> int | None:
    text = str(date or "")
    return int(text[:4]) if len(text) >= 4 and text[:4].isdigit() else None


# TMDb names the same facts differently for movies and series: (title, original, date) keys.
_KEYS: dict[md.ItemKind, tuple[str, str, str]] = {
    "movie": ("title", "original_title", "release_date"),
    "series": ("name", "original_name", "first_air_date"),
}


def _candidate(r: dict[str, Any], kind: md.ItemKind) -> md.Candidate:
    title, original, date = _KEYS[kind]
    return md.Candidate(
        provider="tmdb",
        provider_id=str(r["id"]),
        kind=kind,
        title=r.get(title) or r.get(original) or "",
        original_title=r.get(original),
        year=_year(r.get(date)),
        overview=r.get("overview") or None,
        popularity=r.get("popularity"),
        ids=md.ExternalIds(tmdb=str(r["id"])),
    )


def _url(base: str, path: Any) -> str | None:
    return f"{base}{path}" if path else None


def _people(credits: dict[str, Any], base: str) -> tuple[md.Person, ...]:
    cast = [
        md.Person(
            name=c["name"],
            role="actor",
            character=c.get("character") or None,
            order=c.get("order"),
            image_url=_url(base, c.get("profile_path")),
            ids=md.ExternalIds(tmdb=str(c["id"])),
        )
        for c in credits.get("cast", [])[:_MAX_CAST]
    ]
    crew = [
        md.Person(
            name=c["name"],
            role=_CREW_ROLES[c.get("job", "")],
            image_url=_url(base, c.get("profile_path")),
            ids=md.ExternalIds(tmdb=str(c["id"])),
        )
        for c in credits.get("crew", [])
        if c.get("job") in _CREW_ROLES
    ]
    return tuple(cast + crew)


def _artwork(data: dict[str, Any], base: str) -> tuple[md.Artwork, ...]:
    images = data.get("images") or {}
    found: list[md.Artwork] = []
    for key, kind in _IMAGE_KINDS.items():
        for i in sorted(images.get(key, []), key=lambda i: -(i.get("vote_average") or 0)):
            url = _url(base, i.get("file_path"))
            if url:
                found.append(
                    md.Artwork(
                        kind,
                        url,
                        i.get("iso_639_1"),
                        i.get("width"),
                        i.get("height"),
                        i.get("vote_average"),
                    )
                )
    # TMDb's own primary poster/backdrop lead, even when the images list ranks others higher.
    fields: tuple[tuple[md.ArtworkKind, str], ...] = (
        ("poster", "poster_path"),
        ("backdrop", "backdrop_path"),
    )
    primary = [
        md.Artwork(kind, url) for kind, field in fields if (url := _url(base, data.get(field)))
    ]
    urls = {a.url for a in primary}
    return tuple(primary + [a for a in found if a.url not in urls])


def _collection(data: dict[str, Any], base: str) -> md.CollectionRef | None:
    raw = data.get("belongs_to_collection")
    if not raw:
        return None
    return md.CollectionRef(
        name=raw["name"],
        ids=md.ExternalIds(tmdb=str(raw["id"])),
        poster_url=_url(base, raw.get("poster_path")),
        backdrop_url=_url(base, raw.get("backdrop_path")),
    )


def _ratings(data: dict[str, Any]) -> tuple[md.Rating, ...]:
    if data.get("vote_count"):
        return (md.Rating("tmdb", float(data["vote_average"]), int(data["vote_count"])),)
    return ()


def _item(data: dict[str, Any], base: str, kind: md.ItemKind, **own: Any) -> md.ItemMetadata:
    """What movie and series details say alike, read with the kind's own keys, and `own`."""
    title, original, date = _KEYS[kind]
    return md.ItemMetadata(
        kind=kind,
        title=data.get(title),
        original_title=data.get(original),
        year=_year(data.get(date)),
        release_date=data.get(date) or None,
        overview=data.get("overview") or None,
        tagline=data.get("tagline") or None,
        original_language=data.get("original_language"),
        genres=tuple(g["name"] for g in data.get("genres", [])),
        ratings=_ratings(data),
        artwork=_artwork(data, base),
        **own,
    )


def _movie(data: dict[str, Any], base: str) -> md.ItemMetadata:
    external = data.get("external_ids") or {}
    return _item(
        data,
        base,
        "movie",
        runtime_minutes=data.get("runtime") or None,
        studios=tuple(c["name"] for c in data.get("production_companies", [])),
        people=_people(data.get("credits") or {}, base),
        ids=md.ExternalIds(
            tmdb=str(data["id"]), imdb=data.get("imdb_id") or external.get("imdb_id")
        ),
        collection=_collection(data, base),
    )


def _series(data: dict[str, Any], base: str) -> md.ItemMetadata:
    external = data.get("external_ids") or {}
    creators = tuple(
        md.Person(name=c["name"], role="writer", ids=md.ExternalIds(tmdb=str(c["id"])))
        for c in data.get("created_by", [])
    )
    runtimes = data.get("episode_run_time") or []
    tvdb = external.get("tvdb_id")
    return _item(
        data,
        base,
        "series",
        runtime_minutes=runtimes[0] if runtimes else None,
        studios=tuple(n["name"] for n in data.get("networks", [])),
        people=_people(data.get("credits") or {}, base) + creators,
        ids=md.ExternalIds(
            tmdb=str(data["id"]),
            imdb=external.get("imdb_id") or None,
            tvdb=str(tvdb) if tvdb else None,
        ),
    )


def _episode(e: dict[str, Any], base: str) -> md.EpisodeMetadata:
    return md.EpisodeMetadata(
        season=e.get("season_number"),
        number=e.get("episode_number"),
        title=e.get("name"),
        overview=e.get("overview") or None,
        air_date=e.get("air_date"),
        runtime_minutes=e.get("runtime"),
        still_url=_url(base, e.get("still_path")),
        ids=md.ExternalIds(tmdb=str(e["id"])),
    )
