"""HTTP Range parsing for one file: a single satisfiable range, the whole file, or 416.

Decision: only one range is ever served. A header asking for several ranges gets the whole
file (200), which RFC 9110 allows, so no multipart body is ever built. A malformed header is
ignored (200), also as the RFC says. A well-formed header none of whose ranges can be met
gets 416.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_HEADER = 4096


@dataclass(frozen=True, slots=True)
class ByteRange:
    start: int
    end: int  # exclusive

    @property
    def length(self) -> int:
        return self.end - self.start


class Unsatisfiable(Exception):
    """No requested range overlaps the file."""


def _one(spec: str, size: int) -> ByteRange | None:
    """One `a-b`, `a-` or `-n` spec; None when it lies beyond the end; ValueError if malformed."""
    first, sep, last = spec.strip().partition("-")
    if not sep:
        raise ValueError(spec)
    first, last = first.strip(), last.strip()
    if not first:
        if not last.isdigit():
            raise ValueError(spec)
        suffix = int(last)
        return ByteRange(max(0, size - suffix), size) if suffix > 0 and size > 0 else None
    if not first.isdigit() or (last and not last.isdigit()):
        raise ValueError(spec)
    start = int(first)
    end = int(last) + 1 if last else size
    if last and end <= start:
        raise ValueError(spec)
    if start >= size:
        return None
    return ByteRange(start, min(end, size))


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """The one range to serve, or None for the whole file; raises Unsatisfiable for 416."""
    if not header or len(header) > MAX_HEADER:
        return None
    if header.startswith("bytes=") and "," not in header:
        # The one form players send, range after range: the general parse below gives the
        # same answer for it, through three more lists.
        try:
            single = _one(header[6:], size)
        except ValueError:
            return None
        if single is None:
            raise Unsatisfiable
        return single
    unit, _, specs = header.partition("=")
    if unit.strip().lower() != "bytes" or not specs.strip():
        return None
    try:
        parsed = [_one(spec, size) for spec in specs.split(",")]
    except ValueError:
        return None
    usable = [r for r in parsed if r is not None]
    if not usable:
        raise Unsatisfiable
    if len(parsed) > 1:
        return None
    return usable[0]
