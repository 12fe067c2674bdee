"""Short-lived, single-item stream tokens: the only credential accepted in a query string.

A player that cannot send headers (an HTML <video> element, a cast device) gets a URL
`...?token=<stream token>` valid for one file and a few minutes. The token is an HMAC over
(user, file, expiry) with a key derived from the server's secret key file, so every node that
shares the key file accepts it and nothing is stored. The streaming endpoint must still check
that the user exists, is enabled and may see the file's library.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import uuid

from revenge.infra.secrets import SecretBox

STREAM_PREFIX = "rvt_"
DEFAULT_TTL_SECONDS = 300
MAX_TTL_SECONDS = 6 * 3600


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class StreamTokens:
    """Issues and verifies stream tokens."""

    def __init__(self, box: SecretBox) -> None:
        self._key = box.derive_key("stream-token-v1")

    def issue(
        self, user_id: uuid.UUID, file_id: str | uuid.UUID, ttl: int = DEFAULT_TTL_SECONDS
    ) -> tuple[str, int]:
        """A token letting `user_id` read `file_id` for `ttl` seconds (at most 6 hours),
        and its expiry in unix seconds."""
        expires = int(time.time()) + max(1, min(ttl, MAX_TTL_SECONDS))
        body = f"{user_id.hex}.{expires}".encode()
        return STREAM_PREFIX + _b64(body) + "." + _b64(self._sign(body, str(file_id))), expires

    def verify(self, token: str, file_id: str | uuid.UUID) -> uuid.UUID | None:
        """The user the token was issued to, if it is genuine, unexpired and for this file."""
        if not token.startswith(STREAM_PREFIX) or len(token) > 200:
            return None
        try:
            body_part, sig_part = token[len(STREAM_PREFIX) :].split(".", 1)
            body, sig = _unb64(body_part), _unb64(sig_part)
            user_hex, expires = body.decode().split(".", 1)
            if not hmac.compare_digest(sig, self._sign(body, str(file_id))):
                return None
            if int(expires) < time.time():
                return None
            return uuid.UUID(hex=user_hex)
        except (ValueError, UnicodeDecodeError):
            return None

    def _sign(self, body: bytes, file_id: str) -> bytes:
        return hmac.new(self._key, body + b"|" + file_id.encode(), hashlib.sha256).digest()
