"""Cache tiers: in-process always, Redis-compatible when configured."""

from revenge.infra.cache.base import Cache
from revenge.infra.cache.memory import MemoryCache
from revenge.infra.cache.tiered import TieredCache

__all__ = ["Cache", "MemoryCache", "TieredCache"]
