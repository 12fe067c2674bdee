"""Outbound HTTP: the SSRF-guarded `safe_fetch` for user-supplied URLs."""

from revenge.infra.http.fetch import (
    FetchError,
    FetchLimits,
    FetchResult,
    FetchTimeout,
    ResponseTooLarge,
    safe_fetch,
)
from revenge.infra.http.guard import Allowlist, OutboundBlocked, is_public_address

__all__ = [
    "Allowlist",
    "FetchError",
    "FetchLimits",
    "FetchResult",
    "FetchTimeout",
    "OutboundBlocked",
    "ResponseTooLarge",
    "is_public_address",
    "safe_fetch",
]
