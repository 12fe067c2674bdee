"""Turning identity-provider claims into Revenge usernames and groups."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from typing import Any

_UNSAFE = re.compile(r"[\x00-\x1f\x7f]+")


def _clean(value: object) -> str:
    return _UNSAFE.sub("", str(value)).strip()[:56]


def username_candidates(claims: dict[str, Any], mapping: dict[str, str]) -> Iterator[str]:
    """The mapped username claim, then the email's local part, then suffixed variants."""
    raw = claims.get(mapping.get("username", "preferred_username"))
    email = claims.get(mapping.get("email", "email"))
    base = _clean(raw) if raw else ""
    if not base and email:
        base = _clean(str(email).split("@", 1)[0])
    base = base or "user"
    yield base
    for _ in range(5):
        yield f"{base}-{secrets.token_hex(3)}"


def groups_of(claims: dict[str, Any], claim: str) -> set[str]:
    value = claims.get(claim)
    if isinstance(value, str):
        return {value}
    if isinstance(value, list):
        return {str(v) for v in value}
    return set()
