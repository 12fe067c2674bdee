"""Names as people should see them when nothing better (tags, metadata) is known.

- Names read from disk are Unicode NFC: macOS writes accents decomposed ("Le\u0301on"),
  which looks the same but compares, sorts and searches differently from "Léon".
- A name written all in lower case ("pulp_fiction") gets spaces for underscores and
  title casing ("Pulp Fiction");
  any capital letter means the owner chose the casing, so it is kept ("iCarly", "dredd").
- Spoken-word files name their episode or chapter number: "Show 67 - Title",
  "067. Title", "Ep 67 Title", "#67 - Title".
"""

from __future__ import annotations

import re
import unicodedata

# Words left in lower case inside a title, as English title case does.
_SMALL_WORDS = frozenset(
    "a an and as at but by for from in into nor of on or per the to vs via with".split()  # noqa: SIM905
)
_WORD_RE = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_NUMBER_THEN_TITLE = (
    r"(?:ep(?:isode)?\.?\s*|chapter\s*|ch\.?\s*|part\s*|#|e)?(?P<number>\d{1,5})"
    r"(?:\s*[-.:_]\s+|\s*-\s*|\s+(?=\D))(?P<title>.*\S)\s*$"
)
_LEADING_RE = re.compile(r"^\s*" + _NUMBER_THEN_TITLE, re.IGNORECASE)
_PREFIXED_RE = re.compile(r"^(?P<prefix>.*?\S)\s+" + _NUMBER_THEN_TITLE, re.IGNORECASE)


def nfc(text: str) -> str:
    """Compose decomposed accents (only non-ASCII text can need it)."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def display_case(text: str) -> str:
    """NFC, and for a name written wholly in lower case spaces and title casing."""
    text = nfc(text)
    if "_" in text and " " not in text:
        text = " ".join(text.replace("_", " ").split())
    if any(c.isupper() for c in text) or not any(c.isalpha() for c in text):
        return text
    words = [m for m in _WORD_RE.finditer(text)]
    out = list(text)
    for index, match in enumerate(words):
        word = match.group(0)
        if 0 < index < len(words) - 1 and word in _SMALL_WORDS:
            continue
        out[match.start()] = word[0].upper()
    return "".join(out)


def numbered_title(stem: str, show: str | None = None) -> tuple[int | None, str]:
    """The episode or chapter number and title of "Show 67 - Title" or "067. Title".

    A number is read after a prefix only when the prefix is the show's own name or the
    number is followed by a dash, so titles such as "Top 10 Albums" keep their number.
    """
    stem = nfc(stem)
    match = _LEADING_RE.match(stem) or _PREFIXED_RE.match(stem)
    if match is None:
        return None, stem.strip()
    title = match.group("title").strip(" -._")
    if match.re is _PREFIXED_RE:
        prefix = match.group("prefix")
        dashed = stem[match.end("number") :].lstrip().startswith("-")
        own_name = show is not None and _key(prefix) == _key(show)
        if not (dashed or own_name):
            return None, stem.strip()
    return int(match.group("number")), title or stem.strip()


def _key(text: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", nfc(text).casefold()).split())
