"""Session limits, read through one function so persisted server settings can override them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from revenge.runtime import Runtime

# At most one activity write per session per node in this many seconds.
ACTIVITY_WRITE_INTERVAL = 60.0
# Longest a validated session is trusted from the cache before the database is asked again.
CACHE_TTL_SECONDS = 30.0


@dataclass(frozen=True)
class SessionPolicy:
    idle_timeout: float
    absolute_lifetime: float
    max_per_user: int


def session_policy(runtime: Runtime) -> SessionPolicy:
    """The limits in force now (`auth.session.*` server settings will override these)."""
    auth = runtime.settings.auth
    return SessionPolicy(
        idle_timeout=float(auth.session_idle_timeout_seconds),
        absolute_lifetime=float(auth.session_absolute_lifetime_seconds),
        max_per_user=auth.session_max_per_user,
    )
