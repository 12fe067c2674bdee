"""Jellyfin ids: a Revenge UUID in 32-hex form, its version digit replaced by the kind.

Every Revenge id is a version-4 UUID (`gen_random_uuid()`), so the digit at position 12 is
always `4`; writing a kind code there keeps ids stable, distinct across kinds, and lets one
id name both the row and its table without a lookup.
"""

from __future__ import annotations

import uuid

_CODES = {
    "library": "1", "movie": "2", "series": "3", "season": "5", "episode": "6",
    "artist": "7", "album": "8", "track": "9", "video_playlist": "a", "audio_playlist": "b",
    "user": "c", "audiobook": "d", "podcast": "e", "podcast_episode": "f", "server": "0",
}  # fmt: skip
_KINDS = {code: kind for kind, code in _CODES.items()}


def jid(kind: str, value: uuid.UUID) -> str:
    """The Jellyfin id of a Revenge item of this kind."""
    raw = value.hex
    return raw[:12] + _CODES[kind] + raw[13:]


def parse(value: str | None) -> tuple[str, uuid.UUID] | None:
    """(kind, Revenge id) of a Jellyfin id (dashed or not), None when it is not one of ours."""
    raw = (value or "").strip().replace("-", "").lower()
    if len(raw) != 32 or raw[12] not in _KINDS:
        return None
    try:
        return _KINDS[raw[12]], uuid.UUID(raw[:12] + "4" + raw[13:])
    except ValueError:
        return None


def parse_many(value: str | None) -> list[tuple[str, uuid.UUID]]:
    """Every id of ours in a comma-separated list (unknown ones are dropped, as Jellyfin does)."""
    found = [parse(v) for v in (value or "").split(",")[:500]]
    return [f for f in found if f is not None]


def server_id(secret: str) -> str:
    """This server's stable id (clients compare it with `ServerId` after sign-in)."""
    return uuid.uuid5(uuid.NAMESPACE_URL, "revenge:" + secret).hex
