"""Which movie a file belongs to, from its path alone.

Rules (those of the common media servers):
- "Title (Year)/Title (Year) - 4K.mkv" and "... - Director's Cut.mkv" are versions of one
  movie; "cd1"/"part2" files are parts of one stacked version.
- A folder with a year holds one movie even when files inside have other names.
- Files in extras folders ("Trailers", "Featurettes", "Behind The Scenes", ...) or with an
  extra suffix ("-trailer") are extras of the movie; samples are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass

from revenge.catalog.text import norm
from revenge.libraries.naming import MovieInfo, display_case, extra_folder_type, parse_movie


@dataclass(slots=True)
class MoviePlan:
    key: str
    title: str
    year: int | None
    is_3d: bool
    tmdb_id: str | None
    imdb_id: str | None
    extra_type: str | None
    part: int | None
    version: str | None


def _movie_folder(folders: tuple[str, ...]) -> tuple[tuple[str, ...], str | None]:
    """Strip extras folders; return (folders of the movie, extra type found)."""
    for i, folder in enumerate(folders):
        kind = extra_folder_type(folder)
        if kind is not None and i > 0:
            return folders[:i], kind
    return folders, None


def _belongs_to_folder(file: MovieInfo, folder: MovieInfo) -> bool:
    if folder.year is None:
        return False
    if file.year is None:
        return True
    return file.year == folder.year and norm(file.display_title).startswith(
        norm(folder.display_title)[:20]
    )


def plan_movie(parts: tuple[str, ...]) -> MoviePlan | None:
    """The movie of a file at `parts` (relative to its root); None for ignored files."""
    folders, folder_extra = _movie_folder(parts[:-1])
    info = parse_movie(parts[-1])
    extra = folder_extra or info.extra_type
    if extra == "Sample":
        return None
    chosen = info
    if folders:
        folder_info = parse_movie(folders[-1])
        if folder_extra or not info.title or _belongs_to_folder(info, folder_info):
            chosen = folder_info
    title = display_case(chosen.display_title or chosen.title or parts[-1])
    ids = {**chosen.provider_ids, **info.provider_ids}
    return MoviePlan(
        key=f"{norm(title)}|{chosen.year or ''}",
        title=title,
        year=chosen.year,
        is_3d=info.is_3d,
        tmdb_id=ids.get("tmdb") or ids.get("tmdbid"),
        imdb_id=ids.get("imdb") or ids.get("imdbid"),
        extra_type=extra,
        part=info.part if not extra else None,
        version=info.version if not extra else None,
    )
