"""Outbound HTTP: the one SSRF guard, `safe_fetch` and guarded transports for user URLs."""

from revenge.infra.http.fetch import (
    AllowlistSource,
    FetchError,
    FetchLimits,
    FetchResult,
    FetchTimeout,
    ResponseTooLarge,
    TooManyRedirects,
    guarded_transport,
    safe_fetch,
    vet_host,
)
from revenge.infra.http.guard import (
    Allowlist,
    OutboundBlocked,
    UnsupportedURL,
    check_url,
    is_public_address,
)

__all__ = [
    "Allowlist",
    "AllowlistSource",
    "FetchError",
    "FetchLimits",
    "FetchResult",
    "FetchTimeout",
    "OutboundBlocked",
    "ResponseTooLarge",
    "TooManyRedirects",
    "UnsupportedURL",
    "check_url",
    "guarded_transport",
    "is_public_address",
    "safe_fetch",
    "vet_host",
]
