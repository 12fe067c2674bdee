"""Answer naming-conformance corpus questions with the public parsers (tests and bench)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from revenge.libraries.naming.episode import parse_episode
from revenge.libraries.naming.extras import extra_folder_type, is_multi_disc_folder
from revenge.libraries.naming.movie import clean_title, parse_movie
from revenge.libraries.naming.season import parse_season_folder, parse_series_name

Case = Mapping[str, Any]

# Fields compared case-insensitively, as the corpus README asks for titles and names.
_TEXT_FIELDS = frozenset({"series", "title"})


def _episode(case: Case) -> dict[str, Any]:
    """Full episode parse."""
    info = parse_episode(case["path"], bool(case.get("is_directory", False)))
    return {"series": info.series, "season": info.season, "episode": info.episode}


def _daily(case: Case) -> dict[str, Any]:
    """Date-based episode parse."""
    info = parse_episode(case["path"])
    return {"series": info.series, "year": info.year, "month": info.month, "day": info.day}


def _season_folder(case: Case) -> dict[str, Any]:
    """Season folder parse, with the parent path the corpus supplies."""
    info = parse_season_folder(case["path"], case.get("parent"))
    return {"season": info.season, "is_season_folder": info.is_season_folder}


def _movie(case: Case) -> dict[str, Any]:
    """Movie title and year; the question wants the input unchanged when there is no year."""
    info = parse_movie(case["path"])
    return {"title": info.title if info.year is not None else case["path"], "year": info.year}


_ANSWERS: dict[str, Callable[[Case], dict[str, Any]]] = {
    "episode": _episode,
    "episode_number": lambda c: {"episode": parse_episode(c["path"]).episode},
    "season_number": lambda c: {"season": parse_episode(c["path"]).season},
    "ending_episode_number": lambda c: {"ending_episode": parse_episode(c["path"]).ending_episode},
    "daily_episode": _daily,
    "season_folder": _season_folder,
    "series_name": lambda c: {"series": parse_series_name(c["path"])},
    "movie_title_year": _movie,
    "clean_title": lambda c: {"title": clean_title(c["path"])},
    "extra_folder": lambda c: {"extra_type": extra_folder_type(c["path"])},
    "multi_disc_folder": lambda c: {"is_disc_folder": is_multi_disc_folder(c["path"])},
}


def find_corpus(name: str) -> Path:
    """Find ``shared/conformance/<name>/cases.jsonl`` above the repository.

    The checkout may be the main one (``/work/main``) or a worktree one level deeper, so the
    folders above it are walked until one holds ``shared/conformance``.
    """
    here = Path(__file__).resolve()
    for folder in here.parents:
        candidate = folder / "shared" / "conformance" / name / "cases.jsonl"
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"no shared/conformance/{name} above {here}")


def load_cases(path: Path) -> Iterator[Case]:
    """Yield the corpus rows of a JSON-lines file."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def answer(case: Case) -> dict[str, Any]:
    """Answer one corpus row's question."""
    return _ANSWERS[case["question"]](case)


def _same(field_name: str, expected: Any, actual: Any) -> bool:
    """Compare one field, case-insensitively for names and titles."""
    if field_name in _TEXT_FIELDS and isinstance(expected, str) and isinstance(actual, str):
        return expected.casefold() == actual.casefold()
    return bool(expected == actual)


def is_correct(case: Case, given: Mapping[str, Any]) -> bool:
    """Tell whether an answer matches every expected field of its row."""
    return all(_same(key, case[key], value) for key, value in given.items())
