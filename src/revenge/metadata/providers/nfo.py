"""Kodi-style NFO files: `movie.nfo`, `tvshow.nfo` and per-episode `<video name>.nfo`.

Parsing is bounded and safe with the standard library: files over 1 MiB are ignored, and any
document with a DOCTYPE or an entity declaration is refused before it reaches the parser, so
entity expansion ("billion laughs") and external entities cannot happen. An NFO holding only
a provider URL (Kodi accepts those) yields just the ids in it.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from revenge.metadata.providers.base import BlockingLocalSource
from revenge.metadata.types import (
    Artwork,
    ArtworkKind,
    CollectionRef,
    ExternalIds,
    ItemKind,
    ItemMetadata,
    Person,
    Rating,
    Role,
)
from revenge.streaming.files import open_confined

MAX_NFO_BYTES = 1024 * 1024
_ROOTS = {"movie": "movie", "series": "tvshow", "episode": "episodedetails"}
_UNSAFE = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_URL_IDS = (
    ("imdb", re.compile(r"imdb\.com/title/(tt\d{7,9})")),
    ("tmdb", re.compile(r"themoviedb\.org/(?:movie|tv)/(\d+)")),
    ("tvdb", re.compile(r"thetvdb\.com/\?[^\s]*?\bid=(\d+)|thetvdb\.com/series/(\d+)")),
)
_CREW: dict[str, Role] = {"director": "director", "credits": "writer", "writer": "writer"}
_THUMB_KINDS: dict[str, ArtworkKind] = {
    "poster": "poster",
    "banner": "banner",
    "clearlogo": "logo",
    "clearart": "clearart",
    "landscape": "thumb",
    "thumb": "thumb",
    "": "poster",
}


class NfoError(ValueError):
    """The NFO file cannot be read safely."""


def nfo_path(kind: ItemKind, media: Path) -> Path | None:
    """The NFO describing `media` (a file, or the folder of a series), if one exists."""
    if kind == "series":
        candidates = [media / "tvshow.nfo"] if media.is_dir() else [media.parent / "tvshow.nfo"]
    elif media.is_dir():
        candidates = [media / "movie.nfo"]
    else:
        candidates = [media.with_suffix(".nfo")]
        if kind == "movie":
            candidates.append(media.parent / "movie.nfo")
    return next((p for p in candidates if p.is_file()), None)


def parse_nfo(raw: bytes, kind: ItemKind) -> ItemMetadata | None:
    """Read one NFO document; None when it holds nothing about `kind`."""
    if len(raw) > MAX_NFO_BYTES:
        raise NfoError("NFO file too large")
    if _UNSAFE.search(raw):
        raise NfoError("NFO with a DOCTYPE or entity declaration refused")
    root_name = _ROOTS.get(kind)
    if root_name is None:
        return None
    body = _xml_part(raw, root_name)
    if body is None:
        ids = ids_from_urls(raw.decode("utf-8", "replace"))
        return ItemMetadata(kind=kind, ids=ids) if ids else None
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise NfoError(f"invalid NFO XML: {exc}") from None
    return _metadata(root, kind).with_ids(
        ids_from_urls(raw[len(body) :].decode("utf-8", "replace"))
    )


def _xml_part(raw: bytes, root: str) -> bytes | None:
    """The `<root>...</root>` document, without anything Kodi allows after it (a URL)."""
    start = raw.find(f"<{root}".encode())
    end = raw.rfind(f"</{root}>".encode())
    if start < 0 or end < 0:
        return None
    return raw[: end + len(root) + 3]


def ids_from_urls(text: str) -> ExternalIds:
    found: dict[str, str] = {}
    for key, pattern in _URL_IDS:
        match = pattern.search(text)
        if match:
            found[key] = next(g for g in match.groups() if g)
    return ExternalIds.from_mapping(found)


def _text(el: ET.Element, tag: str) -> str | None:
    node = el.find(tag)
    value = (node.text or "").strip() if node is not None else ""
    return value or None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _ids(root: ET.Element) -> ExternalIds:
    found: dict[str, str] = {}
    for node in root.findall("uniqueid"):
        key = (node.get("type") or "").lower().removesuffix("id")
        if node.text and node.text.strip():
            found.setdefault("tmdb" if key == "themoviedb" else key, node.text.strip())
    for key in ("tmdb", "imdb", "tvdb"):
        value = _text(root, f"{key}id") or _text(root, key)
        if value:
            found.setdefault(key, value)
    legacy = _text(root, "id")
    if legacy and legacy.startswith("tt"):
        found.setdefault("imdb", legacy)
    return ExternalIds.from_mapping(found)


def _people(root: ET.Element) -> tuple[Person, ...]:
    people = [
        Person(
            name=name,
            role="actor",
            character=_text(actor, "role"),
            order=_int(_text(actor, "order")),
            image_url=_text(actor, "thumb"),
        )
        for actor in root.findall("actor")
        if (name := _text(actor, "name"))
    ]
    for tag, role in _CREW.items():
        people.extend(
            Person(name=n.text.strip(), role=role)
            for n in root.findall(tag)
            if n.text and n.text.strip()
        )
    return tuple(people)


def _artwork(root: ET.Element) -> tuple[Artwork, ...]:
    art = [
        Artwork(_THUMB_KINDS.get(t.get("aspect") or "", "poster"), t.text.strip())
        for t in root.findall("thumb")
        if t.text and t.text.strip()
    ]
    art.extend(
        Artwork("backdrop", t.text.strip())
        for t in root.findall("fanart/thumb")
        if t.text and t.text.strip()
    )
    return tuple(art)


def _ratings(root: ET.Element) -> tuple[Rating, ...]:
    found = []
    for r in root.findall("ratings/rating"):
        try:
            value = float(_text(r, "value") or "")
        except ValueError:
            continue
        found.append(Rating(r.get("name") or "nfo", value, _int(_text(r, "votes"))))
    return tuple(found)


def _collection(root: ET.Element) -> CollectionRef | None:
    node = root.find("set")
    if node is None:
        return None
    name = _text(node, "name") or (node.text or "").strip()
    return CollectionRef(name=name) if name else None


def _metadata(root: ET.Element, kind: ItemKind) -> ItemMetadata:
    premiered = _text(root, "premiered") or _text(root, "aired")
    year = _int(_text(root, "year")) or _int((premiered or "")[:4])
    return ItemMetadata(
        kind=kind,
        title=_text(root, "title"),
        original_title=_text(root, "originaltitle"),
        sort_title=_text(root, "sorttitle"),
        year=year,
        release_date=premiered,
        overview=_text(root, "plot") or _text(root, "outline"),
        tagline=_text(root, "tagline"),
        runtime_minutes=_int(_text(root, "runtime")),
        content_rating=_text(root, "mpaa"),
        genres=tuple(g.text.strip() for g in root.findall("genre") if g.text and g.text.strip()),
        studios=tuple(s.text.strip() for s in root.findall("studio") if s.text and s.text.strip()),
        people=_people(root),
        ratings=_ratings(root),
        ids=_ids(root),
        artwork=_artwork(root),
        collection=_collection(root),
        season=_int(_text(root, "season")) if kind == "episode" else None,
        episode=_int(_text(root, "episode")) if kind == "episode" else None,
    )


class NfoSource(BlockingLocalSource):
    """Local source reading the NFO next to a movie, series folder or episode."""

    name = "nfo"

    def _read(self, kind: ItemKind, path: Path) -> ItemMetadata | None:
        found = nfo_path(kind, path)
        if found is None:
            return None
        # Opened only if it really is in the media's folder: an NFO that is a symlink to a
        # file elsewhere (outside the library) is not read.
        opened = open_confined(str(found), [str(found.parent)])
        if opened is None:
            return None
        fd, st = opened
        with os.fdopen(fd, "rb") as file:
            if st.st_size > MAX_NFO_BYTES:
                return None
            return parse_nfo(file.read(MAX_NFO_BYTES + 1), kind)
