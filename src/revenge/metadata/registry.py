"""The provider registry: which providers answer for which library type, in settings order.

Which kinds exist, and which provider protocol describes each, is told by the content
packages (`ProviderKind`), not listed here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import httpx

from revenge import __version__
from revenge.config import MetadataSettings
from revenge.infra.cache import Cache
from revenge.metadata.breaker import BreakerPolicy, CircuitBreaker
from revenge.metadata.http import ProviderHttp, ProviderPolicy
from revenge.metadata.kinds import ProviderKind
from revenge.metadata.protocols import KeySource, LocalSource, Provider
from revenge.metadata.providers.embedded import EmbeddedTagsSource
from revenge.metadata.providers.local_artwork import LocalArtworkSource
from revenge.metadata.providers.musicbrainz import CoverArtArchive, MusicBrainzProvider
from revenge.metadata.providers.nfo import NfoSource
from revenge.metadata.providers.tmdb import TmdbProvider
from revenge.metadata.providers.tvdb import TvdbProvider
from revenge.metadata.ratelimit import Limit, RateLimiter
from revenge.metadata.types import ItemKind


@dataclass
class ProviderRegistry:
    providers: dict[str, Provider]
    order: Mapping[str, Sequence[str]]
    local_sources: list[LocalSource] = field(default_factory=list)
    kinds: Mapping[str, ProviderKind] = field(default_factory=dict)

    def remote_for(self, kind: ItemKind) -> list[Provider]:
        """Providers able to describe `kind`, in the order configured for its library type."""
        described = self.kinds[kind]
        names = self.order.get(described.library_type, ())
        capability = described.capability
        return [
            p
            for name in names
            if (p := self.providers.get(name)) is not None and isinstance(p, capability)
        ]


def user_agent(contact: str) -> str:
    return f"Revenge/{__version__} ( {contact} )"


def provider_policies(settings: MetadataSettings) -> dict[str, ProviderPolicy]:
    """Call policy of each remote provider, from settings."""
    common = {
        "cache_ttl": float(settings.cache_ttl_seconds),
        "timeout": settings.request_timeout_seconds,
        "max_retries": settings.max_retries,
        "retry_base": settings.retry_base_seconds,
        "max_retry_after": settings.max_retry_after_seconds,
        "breaker": BreakerPolicy(
            failures=settings.breaker_failures,
            cooldown=settings.breaker_cooldown_seconds,
            # A trial is one request, but it may wait for the rate limit first.
            trial=max(30.0, 2 * settings.request_timeout_seconds + 5),
        ),
    }
    headers = {"User-Agent": user_agent(settings.contact), "Accept": "application/json"}
    rates = {
        "tmdb": (settings.tmdb_base_url, settings.tmdb_rate_per_second),
        "tvdb": (settings.tvdb_base_url, settings.tvdb_rate_per_second),
        "musicbrainz": (settings.musicbrainz_base_url, settings.musicbrainz_rate_per_second),
        "coverart": (settings.coverart_base_url, 5.0),
    }
    return {
        name: ProviderPolicy(
            name=name,
            base_url=base.rstrip("/"),
            limit=Limit.per_second(rate),
            headers=headers,
            follow_redirects=name == "coverart",
            **common,  # type: ignore[arg-type]
        )
        for name, (base, rate) in rates.items()
    }


def build_provider_registry(
    settings: MetadataSettings,
    client: httpx.AsyncClient,
    limiter: RateLimiter,
    keys: KeySource,
    cache: Cache | None = None,
    breaker: CircuitBreaker | None = None,
    kinds: Sequence[ProviderKind] = (),
) -> ProviderRegistry:
    """Every built-in provider over one shared HTTP client, limiter, cache and breaker."""
    policies = provider_policies(settings)

    def http(name: str) -> ProviderHttp:
        return ProviderHttp(client, policies[name], limiter, cache, breaker=breaker)

    providers: dict[str, Provider] = {
        "tmdb": TmdbProvider(http("tmdb"), keys),
        "tvdb": TvdbProvider(http("tvdb"), keys),
        "musicbrainz": MusicBrainzProvider(http("musicbrainz"), CoverArtArchive(http("coverart"))),
    }
    # Each library type's order is the `<type>_providers` setting.
    order = {k.library_type: getattr(settings, f"{k.library_type}_providers") for k in kinds}
    local: list[LocalSource] = [NfoSource(), EmbeddedTagsSource(), LocalArtworkSource()]
    return ProviderRegistry(providers, order, local, {k.kind: k for k in kinds})
