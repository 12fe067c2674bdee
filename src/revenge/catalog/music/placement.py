"""Which artist, album and track a music file is: tags first, then the folder layout.

Layout read when tags are missing: "Artist/Album (Year)/[CD1/]NN - Title.ext"; names
read from folders and files get title casing when written all in lower case.
A track's artists: a multi-value artist tag, else the artist credit split on "feat.",
"ft.", "featuring", "&" and ";" ("A feat. B" is artists A and B; the credit text is kept
as written). A credit that is also the album artist or the artist folder ("Simon &
Garfunkel/...") names one act and is not split.
The album artist is the album-artist tag, else "Various Artists" for a compilation, else
the artist folder, else the track artist; so a compilation's tracks stay one album while
each track keeps its own artist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from revenge.catalog.text import norm
from revenge.libraries.naming import display_case, is_multi_disc_folder

VARIOUS_ARTISTS = "Various Artists"
UNKNOWN_ARTIST = "Unknown Artist"
UNKNOWN_ALBUM = "Unknown Album"

_DISC_NUMBER = re.compile(r"(\d{1,3})")
_TRACK_PREFIX = re.compile(r"^(?:(\d)[-.](?=\d{2}))?(\d{1,3})(?:[\s._-]+|$)")
_ALBUM_YEAR = re.compile(r"\s*[(\[](\d{4})[)\]]\s*$|^(\d{4})\s+-\s+")
_ARTIST_PREFIX = re.compile(r"^(.+?)\s+-\s+(.+)$")
_ARTIST_SPLIT = re.compile(
    r"\s*(?:;|\s&\s|\s(?:feat\.?|ft\.|featuring|with)\s|[(\[](?:feat\.?|ft\.|featuring)\s)\s*",
    re.IGNORECASE,
)


@dataclass(slots=True)
class TrackPlan:
    artist: str
    album_artist: str
    album: str
    album_key: str
    year: int | None
    compilation: bool
    title: str
    disc: int
    track: int | None
    key: str
    duration: float | None
    mbid_track: str | None
    mbid_album: str | None
    artists: list[str]


def _folders(parts: tuple[str, ...]) -> tuple[str | None, str | None, int | None]:
    """(artist folder, album folder, disc number from a "CD2" folder)."""
    folders = list(parts[:-1])
    disc = None
    if folders and is_multi_disc_folder(folders[-1]):
        match = _DISC_NUMBER.search(folders.pop())
        disc = int(match.group(1)) if match else None
    album = folders[-1] if folders else None
    artist = display_case(folders[-2]) if len(folders) >= 2 else None
    return artist, album, disc


def _album_from_folder(folder: str) -> tuple[str, int | None]:
    match = _ALBUM_YEAR.search(folder)
    if match is None:
        return display_case(folder.strip()), None
    year = int(match.group(1) or match.group(2))
    return display_case(_ALBUM_YEAR.sub("", folder).strip() or folder), year


def _title_from_name(name: str) -> tuple[str, int | None, int | None]:
    """Title, track and disc from "1-03 - Title" or "03. Title"."""
    stem = name.rsplit(".", 1)[0]
    match = _TRACK_PREFIX.match(stem)
    if match is None:
        return display_case(stem.strip()), None, None
    rest = stem[match.end() :].strip(" -._") or stem
    disc = int(match.group(1)) if match.group(1) else None
    return display_case(rest), int(match.group(2)), disc


def split_artists(credit: str, tags: dict[str, Any], whole: set[str]) -> list[str]:
    """The artists of a credit ("A feat. B" -> [A, B]); a credit in `whole` is one act."""
    listed = tags.get("artists")
    if isinstance(listed, list) and len(listed) > 1:
        names = [str(name).strip() for name in listed]
    elif norm(credit) in whole:
        names = [credit]
    else:
        names = [name.strip(" )]") for name in _ARTIST_SPLIT.split(credit)]
    unique: dict[str, str] = {}
    for name in names:
        if name:
            unique.setdefault(norm(name), name)
    return list(unique.values()) or [credit]


def _credit(tags: dict[str, Any]) -> str | None:
    """The artist credit text: the artist tag, or a multi-value tag joined for reading."""
    listed = tags.get("artists")
    if isinstance(listed, list) and len(listed) > 1 and tags.get("artist") in (None, listed[0]):
        return ", ".join(map(str, listed[:-1])) + " & " + str(listed[-1])
    artist = tags.get("artist")
    return str(artist) if artist else None


def _named_acts(tags: dict[str, Any], artist_folder: str | None) -> set[str]:
    """Credits that name one act: the album-artist tag and the artist folder."""
    return {norm(name) for name in (tags.get("album_artist"), artist_folder) if name}


def plan_track(parts: tuple[str, ...], tags: dict[str, Any]) -> TrackPlan:
    """The track of a file at `parts` with tags (possibly empty)."""
    artist_folder, album_folder, folder_disc = _folders(parts)
    name_title, name_track, name_disc = _title_from_name(parts[-1])
    folder_album, folder_year = _album_from_folder(album_folder) if album_folder else (None, None)
    compilation = bool(tags.get("compilation"))
    credit = _credit(tags)
    artist = credit or artist_folder or UNKNOWN_ARTIST
    if not credit and not artist_folder:
        prefixed = _ARTIST_PREFIX.match(name_title)
        if prefixed:
            artist, name_title = prefixed.group(1), prefixed.group(2)
    album_artist = (
        tags.get("album_artist")
        or (VARIOUS_ARTISTS if compilation else None)
        or artist_folder
        or artist
    )
    album = tags.get("album") or folder_album or UNKNOWN_ALBUM
    disc = int(tags.get("disc") or folder_disc or name_disc or 1)
    track = tags.get("track") or name_track
    title = tags.get("title") or name_title
    album_key = f"{norm(album_artist)}|{norm(album)}"
    return TrackPlan(
        artist=artist,
        album_artist=album_artist,
        album=album,
        album_key=album_key,
        year=tags.get("year") or folder_year,
        compilation=compilation or norm(album_artist) == norm(VARIOUS_ARTISTS),
        title=title,
        disc=disc,
        track=int(track) if track else None,
        key=f"{album_key}|{disc}|{track or ''}|{norm(title)}",
        duration=None,
        mbid_track=tags.get("musicbrainz_track_id"),
        mbid_album=tags.get("musicbrainz_album_id"),
        artists=split_artists(artist, tags, _named_acts(tags, artist_folder)),
    )
