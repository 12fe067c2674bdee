"""Text helpers for grouping keys and sorting."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_ARTICLES = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


@lru_cache(maxsize=65_536)
def norm(text: str) -> str:
    """A comparison key: accents folded, case folded, punctuation collapsed to spaces."""
    if not text.isascii():  # plain ASCII (most names) has no accents to fold
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", text.casefold()).strip()


def sort_title(title: str) -> str:
    """The title as it sorts: lower case, without a leading article."""
    return _ARTICLES.sub("", title.strip()).casefold()
