"""Request parameters: query string and form body together, repeated keys kept."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from revenge.compat.subsonic.protocol import GENERIC, MISSING_PARAMETER, SubsonicError

MAX_VALUE = 2048

# Id prefixes: the kind of item an id names.
KINDS = {
    "ar": "artist", "al": "album", "tr": "track", "pl": "playlist", "pc": "podcast",
    "pe": "podcast_episode", "ab": "audiobook",
}  # fmt: skip
PREFIX = {kind: prefix for prefix, kind in KINDS.items()}


def sid(kind: str, item_id: uuid.UUID | str) -> str:
    """The Subsonic id of a Revenge item."""
    value = item_id.hex if isinstance(item_id, uuid.UUID) else item_id
    return f"{PREFIX[kind]}-{value}"


def parse_id(value: str) -> tuple[str, uuid.UUID] | None:
    """(kind, id) of a Subsonic id, None when it is not one of ours."""
    prefix, sep, rest = value.partition("-")
    if not sep or prefix not in KINDS:
        return None
    try:
        return KINDS[prefix], uuid.UUID(rest)
    except ValueError:
        return None


def folder_id(library_id: uuid.UUID) -> int:
    """A stable positive 31-bit integer for a library (clients want integer folder ids)."""
    return int(library_id.hex[:8], 16) & 0x7FFFFFFF


@dataclass
class Params:
    items: list[tuple[str, str]] = field(default_factory=list)

    def get(self, name: str) -> str | None:
        for key, value in self.items:
            if key == name:
                return value[:MAX_VALUE]
        return None

    def all(self, name: str) -> list[str]:
        return [v[:MAX_VALUE] for k, v in self.items if k == name]

    def need(self, name: str) -> str:
        value = self.get(name)
        if value is None or value == "":
            raise SubsonicError(MISSING_PARAMETER, f"Required parameter '{name}' is missing.")
        return value

    def integer(self, name: str, default: int, low: int = 0, high: int = 1_000_000) -> int:
        raw = self.get(name)
        if raw is None or raw == "":
            return default
        try:
            number = int(raw)
        except ValueError:
            raise SubsonicError(GENERIC, f"Parameter '{name}' must be an integer.") from None
        return max(low, min(high, number))

    def opt_int(self, name: str) -> int | None:
        return self.integer(name, 0, -(2**31), 2**31) if self.get(name) else None

    def flag(self, name: str, default: bool) -> bool:
        raw = self.get(name)
        if raw is None or raw == "":
            return default
        return raw.strip().lower() in ("true", "1", "yes")

    def item(self, name: str, *kinds: str) -> tuple[str, uuid.UUID]:
        """A required id of one of these kinds; anything else is not found (code 70)."""
        parsed = parse_id(self.need(name))
        if parsed is None or (kinds and parsed[0] not in kinds):
            raise SubsonicError(70, f"No {kinds[0] if kinds else 'item'} with that id.")
        return parsed

    def items_of(self, name: str) -> list[tuple[str, uuid.UUID]]:
        found = [parse_id(v) for v in self.all(name)]
        if any(f is None for f in found):
            raise SubsonicError(70, f"Unknown id in '{name}'.")
        return [f for f in found if f is not None]
