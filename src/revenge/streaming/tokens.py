"""Short-lived stream tokens for players that cannot send headers.

A token is bound to one user and one file and expires; it is an HMAC over
(user id, file id, expiry), so nothing is stored. The key is derived from the data
directory's secret key file when there is one, else it is random per process (a token then
works only on the node that issued it).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

DEFAULT_LIFETIME = 6 * 3600
_LAYOUT = struct.Struct(">16sQ")
_MAC_BYTES = 32


@dataclass(frozen=True, slots=True)
class StreamGrant:
    user_id: uuid.UUID
    file_id: uuid.UUID
    expires_at: int


class StreamTokens:
    """Issues and verifies stream tokens with one HMAC key."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    @classmethod
    def from_secret_file(cls, path: Path | None) -> StreamTokens:
        if path is not None and path.is_file():
            secret = path.read_bytes().strip()
            if secret:
                return cls(hmac.new(secret, b"revenge stream tokens", hashlib.sha256).digest())
        return cls(secrets.token_bytes(32))

    def _mac(self, payload: bytes, file_id: uuid.UUID) -> bytes:
        return hmac.new(self._key, payload + file_id.bytes, hashlib.sha256).digest()

    def issue(
        self, user_id: uuid.UUID, file_id: uuid.UUID, lifetime: int = DEFAULT_LIFETIME
    ) -> tuple[str, int]:
        """A token and its expiry (unix seconds)."""
        expires = int(time.time()) + lifetime
        payload = _LAYOUT.pack(user_id.bytes, expires)
        raw = payload + self._mac(payload, file_id)
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode(), expires

    def verify(self, token: str, file_id: uuid.UUID) -> StreamGrant | None:
        """The grant if the token is genuine, for this file, and not expired."""
        if len(token) > 128:
            return None
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        except (ValueError, TypeError):
            return None
        if len(raw) != _LAYOUT.size + _MAC_BYTES:
            return None
        payload, mac = raw[: _LAYOUT.size], raw[_LAYOUT.size :]
        if not hmac.compare_digest(mac, self._mac(payload, file_id)):
            return None
        user_bytes, expires = _LAYOUT.unpack(payload)
        if expires < time.time():
            return None
        return StreamGrant(uuid.UUID(bytes=user_bytes), file_id, expires)
