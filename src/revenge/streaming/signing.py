"""Signed media URLs: the only credential accepted in a query string.

A `<video>`, `<img>`, VLC or a cast device cannot send an `Authorization` header, so every
media URL the server hands out carries `?token=<signed token>`. The token is an HMAC (key
derived from the server's shared secret key file, so every node accepts it and nothing is
stored) over:

- the user it was issued to,
- the credential that asked for it (the sign-in session, or the personal access key),
- the scope it opens (`file:<media file id>`, `image:<image id>`, ...),
- its expiry (unix seconds).

It is never the session token. Every use re-checks in PostgreSQL that the user is enabled and
that the issuing session (or key) is neither revoked nor expired, so a token dies with what
issued it, on every node, at once. Its lifetime covers one playback (see `playback_ttl`).

A route that accepts a token takes the `media_access(kind, param)` dependency (credentials
in headers, or a token for that scope) and must be listed in `api.auth.PUBLIC_ROUTES`, since
it authenticates the caller itself.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from revenge.errors import Unauthorized
from revenge.identity import Principal
from revenge.streaming import access_repository as repo

if TYPE_CHECKING:
    from revenge.runtime import Runtime

TOKEN_PREFIX = "rvm_"
MAX_TOKEN_LENGTH = 200
DEFAULT_TTL_SECONDS = 15 * 60
# A playback token must outlive the film it plays (players fetch segments and ranges until
# the end) but no more: a running time plus this margin, never above MAX_TTL_SECONDS.
PLAYBACK_MARGIN_SECONDS = 30 * 60
MAX_TTL_SECONDS = 8 * 3600
# Credential kinds a token can be bound to: a sign-in session, an access key, or none (only
# principals made by test authenticators lack both; production principals always have one).
_SESSION, _KEY, _NONE = "s", "k", "n"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def file_scope(file_id: uuid.UUID | str) -> str:
    """The scope of everything about one media file: the file, its HLS, its subtitles."""
    return f"file:{file_id}"


def image_scope(image_id: uuid.UUID | str) -> str:
    return f"image:{image_id}"


def playback_ttl(duration_seconds: float | None) -> int:
    """How long the URLs of one playback live: the running time plus a margin, bounded."""
    length = int(duration_seconds or 0) + PLAYBACK_MARGIN_SECONDS
    return max(DEFAULT_TTL_SECONDS, min(length, MAX_TTL_SECONDS))


@dataclass(frozen=True, slots=True)
class Grant:
    """What a genuine, unexpired token names (not yet checked against the database)."""

    user_id: uuid.UUID
    bound_kind: str
    bound_id: uuid.UUID | None
    expires_at: int


@dataclass(frozen=True, slots=True)
class MediaCaller:
    """Who reads a media URL: from header credentials or from a signed token."""

    user_id: uuid.UUID
    is_admin: bool
    session_id: uuid.UUID | None
    access_key_id: uuid.UUID | None
    signed: bool


class MediaSigner:
    """Issues and checks signed media tokens (no I/O: `media_access` adds the liveness check)."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def issue(self, principal: Principal, scope: str, ttl: int = DEFAULT_TTL_SECONDS) -> str:
        """A token opening `scope` for `principal` for `ttl` seconds (at most MAX_TTL_SECONDS)."""
        expires = int(time.time()) + max(1, min(ttl, MAX_TTL_SECONDS))
        kind, bound = _binding(principal)
        body = f"{principal.user_id.hex}.{kind}{bound}.{expires}".encode()
        return TOKEN_PREFIX + _b64(body) + "." + _b64(self._sign(body, scope))

    def verify(self, token: str, scope: str) -> Grant | None:
        """The grant if the token is genuine, for this scope and unexpired; None otherwise."""
        if not token.startswith(TOKEN_PREFIX) or len(token) > MAX_TOKEN_LENGTH:
            return None
        try:
            body_part, sig_part = token[len(TOKEN_PREFIX) :].split(".", 1)
            body, sig = _unb64(body_part), _unb64(sig_part)
            if not hmac.compare_digest(sig, self._sign(body, scope)):
                return None
            user_hex, bound, expires = body.decode().split(".")
            if int(expires) < time.time():
                return None
            kind, bound_hex = bound[:1], bound[1:]
            bound_id = uuid.UUID(hex=bound_hex) if kind in (_SESSION, _KEY) else None
            if kind not in (_SESSION, _KEY, _NONE):
                return None
            return Grant(uuid.UUID(hex=user_hex), kind, bound_id, int(expires))
        except (ValueError, UnicodeDecodeError):
            return None

    def _sign(self, body: bytes, scope: str) -> bytes:
        return hmac.new(self._key, body + b"|" + scope.encode(), hashlib.sha256).digest()


def _binding(principal: Principal) -> tuple[str, str]:
    if principal.session_id is not None:
        return _SESSION, principal.session_id.hex
    if principal.access_key_id is not None:
        return _KEY, principal.access_key_id.hex
    return _NONE, ""


def signer(runtime: Runtime) -> MediaSigner:
    """The process's signer, keyed from the cluster-wide secret key file."""
    found = runtime.media_signer
    if found is None:
        found = runtime.media_signer = MediaSigner(runtime.secrets.derive_key("media-url-v1"))
    return found


def sign_url(runtime: Runtime, principal: Principal, path: str, scope: str, ttl: int) -> str:
    """`path` with a token for `scope` appended as the `token` query parameter."""
    token = signer(runtime).issue(principal, scope, ttl)
    return f"{path}{'&' if '?' in path else '?'}token={token}"


async def caller_from_token(runtime: Runtime, token: str, scope: str) -> MediaCaller | None:
    """The caller a token names, if genuine, in scope, unexpired and its issuer still live."""
    grant = signer(runtime).verify(token, scope)
    if grant is None:
        return None
    async with runtime.db.transaction() as session:
        role = await repo.live_role(session, grant.user_id, grant.bound_kind, grant.bound_id)
    if role is None:
        return None
    session_id = grant.bound_id if grant.bound_kind == _SESSION else None
    key_id = grant.bound_id if grant.bound_kind == _KEY else None
    return MediaCaller(grant.user_id, role == "admin", session_id, key_id, True)


def caller_from_principal(principal: Principal) -> MediaCaller:
    return MediaCaller(
        principal.user_id,
        principal.role == "admin",
        principal.session_id,
        principal.access_key_id,
        False,
    )


async def resolve_caller(
    runtime: Runtime, principal: Principal | None, token: str | None, scope: str
) -> MediaCaller:
    """Header credentials win; else a valid token for `scope`; else 401."""
    if principal is not None:
        return caller_from_principal(principal)
    if token:
        caller = await caller_from_token(runtime, token, scope)
        if caller is not None:
            return caller
    raise Unauthorized("Sign in or use a valid, unexpired media URL.")
