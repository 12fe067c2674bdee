"""Session limits, read through one function so persisted server settings can override them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from revenge.runtime import Runtime

# Longest a node goes without reading the revocation epoch from PostgreSQL (service docstring).
EPOCH_CHECK_SECONDS = 1.0


@dataclass(frozen=True)
class SessionPolicy:
    idle_timeout: float
    absolute_lifetime: float
    max_per_user: int


async def session_policy(runtime: Runtime) -> SessionPolicy:
    """The limits in force now: persisted `auth.session.*` settings, else config, else default."""
    values = runtime.server_settings
    return SessionPolicy(
        idle_timeout=float(await values.get("auth.session.idle_timeout")),
        absolute_lifetime=float(await values.get("auth.session.absolute_lifetime")),
        max_per_user=int(await values.get("auth.session.max_per_user")),
    )
