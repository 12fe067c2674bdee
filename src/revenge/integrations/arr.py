"""What a Radarr, Sonarr or Lidarr webhook asks for: the folders it changed, on our disks.

The *arr "Webhook" connection posts JSON with an `eventType`. Events that change files on
disk name them in the same shapes in all three (v3+ APIs):
- Radarr: `movie.folderPath`, `movieFile.relativePath` / `.path`, `deletedFiles`,
  `renamedMovieFiles`;
- Sonarr: `series.path`, `episodeFile` / `episodeFiles` (`relativePath`, `path`),
  `deletedFiles`, `renamedEpisodeFiles`;
- Lidarr: `artist.path`, `trackFiles` (`path`), `deletedFiles`, `renamedTrackFiles`.
The folder to scan is the one holding each named file (the season or album folder), or the
movie/series/artist folder when no file is named (deletes, renames of a whole item).
Grab, health and update notices change nothing on disk and start nothing.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# Events after which files of a movie/series/artist are different on disk.
FILE_EVENTS = frozenset(
    {"Download", "Upgrade", "Rename", "Retag", "TrackRetag", "MovieDelete", "MovieFileDelete",
     "SeriesDelete", "EpisodeFileDelete", "ArtistDelete", "AlbumDelete", "TrackFileDelete",
     "ImportComplete", "AlbumDownload"}
)  # fmt: skip
TEST_EVENT = "Test"
_PARENTS = ("movie", "series", "artist", "album")
_PARENT_FOLDER_KEYS = ("folderPath", "path")
_FILE_KEYS = (
    "movieFile", "episodeFile", "episodeFiles", "trackFiles", "deletedFiles",
    "renamedMovieFiles", "renamedEpisodeFiles", "renamedTrackFiles", "trackFile",
)  # fmt: skip


@dataclass(frozen=True)
class PathMapping:
    """A prefix as the *arr sees it, and the same folder as this server sees it."""

    remote: str
    local: str


_DRIVE = re.compile(r"^[A-Za-z]:/")


def _clean(path: str) -> str:
    """A normalised absolute path with forward slashes ("" for a relative or empty one);
    Windows paths (`D:\\Media`, from an *arr on Windows) are kept to be mapped."""
    path = path.replace("\\", "/").strip()
    if not path.startswith("/") and not _DRIVE.match(path):
        return ""
    return posixpath.normpath(path)


def map_path(path: str, mappings: Iterable[PathMapping]) -> str:
    """`path` under the longest matching remote prefix, moved to its local folder."""
    clean = _clean(path)
    best: PathMapping | None = None
    for m in mappings:
        remote = _clean(m.remote)
        inside = bool(remote) and (clean == remote or clean.startswith(remote.rstrip("/") + "/"))
        if inside and (best is None or len(remote) > len(_clean(best.remote))):
            best = m
    if best is None:
        return clean
    rest = clean[len(_clean(best.remote).rstrip("/")) :]
    return posixpath.normpath(_clean(best.local).rstrip("/") + rest) if rest else _clean(best.local)


def _parent_folder(payload: dict[str, Any]) -> str:
    for key in _PARENTS:
        parent = payload.get(key)
        if isinstance(parent, dict):
            for folder_key in _PARENT_FOLDER_KEYS:
                value = parent.get(folder_key)
                if isinstance(value, str) and _clean(value):
                    return _clean(value)
    return ""


def _file_entries(payload: dict[str, Any]) -> Iterable[dict[str, Any]]:
    for key in _FILE_KEYS:
        value = payload.get(key)
        if isinstance(value, dict):
            yield value
        elif isinstance(value, list):
            yield from (v for v in value if isinstance(v, dict))


def _file_folder(entry: dict[str, Any], parent: str, key: str, relative_key: str) -> str:
    path = entry.get(key)
    if isinstance(path, str) and _clean(path):
        return posixpath.dirname(_clean(path))
    relative = entry.get(relative_key)
    if isinstance(relative, str) and relative.strip() and parent:
        joined = posixpath.normpath(posixpath.join(parent, relative.replace("\\", "/")))
        # A relative path climbing out of its parent is not trusted beyond the parent.
        if joined.startswith(parent.rstrip("/") + "/"):
            return posixpath.dirname(joined)
    return ""


def changed_folders(payload: dict[str, Any]) -> list[str]:
    """The folders (as the *arr sees them) an event changed; [] when none. A renamed file's
    previous folder counts too: the scan of it sees the file gone (or moved)."""
    parent = _parent_folder(payload)
    folders = {
        folder
        for entry in _file_entries(payload)
        for keys in (("path", "relativePath"), ("previousPath", "previousRelativePath"))
        if (folder := _file_folder(entry, parent, *keys))
    }
    if not folders and parent:
        folders.add(parent)
    return sorted(folders)
