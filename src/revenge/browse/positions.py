"""Fractional positions: an item moves by taking a value between its new neighbours."""

from __future__ import annotations


def between(before: float | None, after: float | None) -> float | None:
    """A position strictly between two neighbours, or None when floats ran out of room."""
    if before is None and after is None:
        return 1.0
    if before is None:
        assert after is not None
        return after - 1.0
    if after is None:
        return before + 1.0
    middle = (before + after) / 2
    return middle if before < middle < after else None
