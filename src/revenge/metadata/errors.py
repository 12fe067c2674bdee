"""Provider failures, typed so callers can tell a bad key from an outage from a missing item."""

from __future__ import annotations


class ProviderError(Exception):
    """A provider could not answer; `provider` names it."""

    transient = False

    def __init__(self, provider: str, message: str) -> None:
        super().__init__(f"{provider}: {message}")
        self.provider = provider
        self.message = message


class NoProviderKey(ProviderError):
    """No API key is configured for the provider."""


class ProviderAuthError(ProviderError):
    """The provider refused our credentials (HTTP 401): the key is wrong or revoked."""


class ProviderNotFound(ProviderError):
    """The provider has no such item (HTTP 404)."""


class ProviderUnavailable(ProviderError):
    """Timeouts, connection failures or 5xx answers outlasted our retries."""

    transient = True


class ProviderRateLimited(ProviderUnavailable):
    """429 answers outlasted our retries, or Retry-After was longer than we wait."""

    def __init__(self, provider: str, message: str, retry_after: float | None = None) -> None:
        super().__init__(provider, message)
        self.retry_after = retry_after


class ProviderResponseError(ProviderError):
    """The provider answered with something we cannot read."""
