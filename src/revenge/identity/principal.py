"""The principal (an authenticated caller) and the permission checks made on it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from revenge.errors import Forbidden

ALL_SCOPES = frozenset({"read", "write", "admin"})
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class LibraryScope:
    """The libraries a user may see, as read when they authenticated: every library (the
    `all_libraries` flag) or exactly the granted ones."""

    every: bool
    granted: frozenset[uuid.UUID] = frozenset()


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: a user through a session or a personal access key."""

    user_id: uuid.UUID
    username: str
    role: str
    session_id: uuid.UUID | None = None
    access_key_id: uuid.UUID | None = None
    scopes: frozenset[str] = field(default=ALL_SCOPES)
    # An administrator signed in with a password alone while the server requires two
    # factors for administrators: no administrator actions until they turn it on.
    needs_second_factor: bool = False
    # Filled on authentication from a cache kept in step with access changes, so a request
    # needs no query to know what it may see; None when not known (then it is read).
    libraries: LibraryScope | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin" and "admin" in self.scopes and not self.needs_second_factor


def require_scope_for(method: str, principal: Principal) -> None:
    """An access key's read scope for reading methods, its write scope for the others."""
    needed = "read" if method in READ_METHODS else "write"
    if needed not in principal.scopes:
        raise Forbidden(f"This access key lacks the {needed!r} scope.")


def require_admin(principal: Principal) -> Principal:
    """Administrator actions are checked here and nowhere else."""
    if principal.needs_second_factor:
        raise Forbidden(
            "Administrators must turn on two-factor sign-in first (POST /api/v1/me/2fa/setup).",
            second_factor_required=True,
        )
    if not principal.is_admin:
        raise Forbidden("This action needs an administrator.")
    return principal
