"""Air dates in episode names, in every order and separator people use.

"2023.07.14", "2012.16.02" (year-day-month), "14.11.1996", "04.28.2014" (US order),
"20201013", "140722" (two-digit year), "23rd Feb 2024". When both orders make a date,
the year-month-day / day-month-year reading wins, as in most release names.
"""

from __future__ import annotations

import datetime
import re
from typing import NamedTuple

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# Every form in one pattern, so that a name is scanned once; at one place the forms are
# tried in this order. Group names: y(ear), a (first), b (second), s(eparator), m(onth).
_DATE_RE = re.compile(
    r"(?<!\d)(?P<ymd_y>(?:19|20)\d\d)(?P<ymd_s>[-._ ])(?P<ymd_a>\d\d)(?P=ymd_s)"
    r"(?P<ymd_b>\d\d)(?!\d)"
    r"|(?<!\d)(?P<dmy_a>\d\d)(?P<dmy_s>[-._ ])(?P<dmy_b>\d\d)(?P=dmy_s)"
    r"(?P<dmy_y>(?:19|20)\d\d)(?!\d)"
    r"|(?<![^\W_])(?P<named_a>\d{1,2})(?:st|nd|rd|th)?[\s._-]+"
    r"(?P<named_m>(?i:" + "|".join(_MONTHS) + r"))[a-z]*\.?[\s._-]+"
    r"(?P<named_y>(?:19|20)\d\d)(?!\d)"
    r"|(?<![^\W_])(?P<monthfirst_m>(?i:" + "|".join(_MONTHS) + r"))[a-z]*\.?[\s._-]+"
    r"(?P<monthfirst_a>\d{1,2})(?:st|nd|rd|th)?,?[\s._-]+(?P<monthfirst_y>(?:19|20)\d\d)(?!\d)"
    r"|(?<!\d)(?P<compact_y>(?:19|20)\d\d)(?P<compact_a>\d\d)(?P<compact_b>\d\d)(?!\d)"
    r"|(?<!\w)(?P<short_y>\d\d)(?P<short_a>\d\d)(?P<short_b>\d\d)(?!\w)"
)

# One cheap scan before the five exact ones: most names hold no date at all.
_MAYBE_DATE_RE = re.compile(
    r"\d(?:\d[-._ ]\d\d[-._ ]\d\d|\d{5}"
    r"|(?:st|nd|rd|th)?[\s._-]+(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"|(?:st|nd|rd|th)?,?[\s._-]+(?:19|20)\d\d)"
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


def _readings(match: re.Match[str]) -> list[tuple[int, int, int]]:
    """The (year, month, day) readings a match allows, preferred first."""
    form = match.lastgroup or ""
    found = match.groupdict()
    if form.startswith(("named", "monthfirst")):
        form = form.split("_")[0]
        month = _MONTHS.index(found[f"{form}_m"].lower()[:3]) + 1
        return [(int(found[f"{form}_y"]), month, int(found[f"{form}_a"]))]
    form = form.split("_")[0]
    year = int(found[f"{form}_y"]) + (2000 if form == "short" else 0)
    first, second = int(found[f"{form}_a"]), int(found[f"{form}_b"])
    if form == "dmy":
        return [(year, second, first), (year, first, second)]
    if form == "short":
        return [(year, first, second)]
    return [(year, first, second), (year, second, first)]


def find_date(text: str, short: bool = True) -> FoundDate | None:
    """Return the first valid air date in text (two-digit-year dates only when short)."""
    if _MAYBE_DATE_RE.search(text) is None:
        return None
    latest = datetime.date.today().year + 1
    for match in _DATE_RE.finditer(text):
        if not short and (match.lastgroup or "").startswith("short"):
            continue
        for year, month, day in _readings(match):
            date = _make(year, month, day)
            if date is not None and date.year <= latest:
                return FoundDate(match.start(), match.end(), date)
    return None
