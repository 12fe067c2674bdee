"""Text helpers for grouping keys and sorting."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_ARTICLES = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


def norm(text: str) -> str:
    """A comparison key: accents folded, case folded, punctuation collapsed to spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", plain.casefold()).strip()


def sort_title(title: str) -> str:
    """The title as it sorts: lower case, without a leading article."""
    return _ARTICLES.sub("", title.strip()).casefold()
