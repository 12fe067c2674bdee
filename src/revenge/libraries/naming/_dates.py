"""Air dates in episode names, in every order and separator people use.

"2023.07.14", "2012.16.02" (year-day-month), "14.11.1996", "04.28.2014" (US order),
"20201013", "140722" (two-digit year), "23rd Feb 2024". When both orders make a date,
the year-month-day / day-month-year reading wins, as in most release names.
"""

from __future__ import annotations

import datetime
import re
from typing import NamedTuple

_YMD_RE = re.compile(r"(?<![\d])((?:19|20)\d\d)([-._ ])(\d\d)\2(\d\d)(?!\d)")
_DMY_RE = re.compile(r"(?<![\d])(\d\d)([-._ ])(\d\d)\2((?:19|20)\d\d)(?!\d)")
_COMPACT_RE = re.compile(r"(?<![\d])((?:19|20)\d\d)(\d\d)(\d\d)(?!\d)")
_SHORT_RE = re.compile(r"(?<![\w])(\d\d)(\d\d)(\d\d)(?![\w])")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_NAMED_RE = re.compile(
    r"(?<![^\W_])(\d{1,2})(?:st|nd|rd|th)?[\s._-]+(" + "|".join(_MONTHS) + r")[a-z]*\.?"
    r"[\s._-]+((?:19|20)\d\d)(?!\d)",
    re.IGNORECASE,
)


# One cheap scan before the five exact ones: most names hold no date at all.
_MAYBE_DATE_RE = re.compile(
    r"\d\d[-._ ]\d\d[-._ ]\d\d|\d{6}"
    r"|\d(?:st|nd|rd|th)?[\s._-]+(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
)


class FoundDate(NamedTuple):
    """A valid date and where it sits in the name."""

    start: int
    end: int
    date: datetime.date


def _make(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _orders(match: re.Match[str], pattern: re.Pattern[str]) -> list[tuple[int, int, int]]:
    """The (year, month, day) readings a match allows, preferred first."""
    if pattern is _DMY_RE:
        first, second, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
        return [(year, second, first), (year, first, second)]
    if pattern is _NAMED_RE:
        month = _MONTHS.index(match.group(2).lower()[:3]) + 1
        return [(int(match.group(3)), month, int(match.group(1)))]
    if pattern is _SHORT_RE:
        return [(2000 + int(match.group(1)), int(match.group(2)), int(match.group(3)))]
    groups = (1, 3, 4) if pattern is _YMD_RE else (1, 2, 3)
    year, second, third = (int(match.group(i)) for i in groups)
    return [(year, second, third), (year, third, second)]


def find_date(text: str, short: bool = True) -> FoundDate | None:
    """Return the first valid air date in text (two-digit-year dates only when short)."""
    if _MAYBE_DATE_RE.search(text) is None:
        return None
    patterns = (_YMD_RE, _DMY_RE, _NAMED_RE, _COMPACT_RE) + ((_SHORT_RE,) if short else ())
    best: FoundDate | None = None
    for pattern in patterns:
        for match in pattern.finditer(text):
            if best is not None and match.start() >= best.start:
                break
            date = next(
                (d for order in _orders(match, pattern) if (d := _make(*order)) is not None),
                None,
            )
            if date is not None and date.year <= datetime.date.today().year + 1:
                best = FoundDate(match.start(), match.end(), date)
                break
    return best
