"""Random bearer secrets, the hashes they are stored as, and their cache keys."""

from __future__ import annotations

import hashlib
import secrets

SESSION_PREFIX = "rvs_"
REFRESH_PREFIX = "rvr_"
MAX_TOKEN_LENGTH = 200


def new_token(prefix: str) -> str:
    """256 random bits, URL-safe, with a prefix that tells what the token is."""
    return prefix + secrets.token_urlsafe(32)


def well_formed(token: str, prefix: str) -> bool:
    """Could be a token of this kind: its prefix, and no longer than any token is."""
    return token.startswith(prefix) and len(token) <= MAX_TOKEN_LENGTH


def token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def cache_key(kind: str, digest: bytes) -> str:
    return f"{kind}:{digest.hex()}"
