"""In-process TTL/LRU tier."""

from __future__ import annotations

import time

from cachetools import LRUCache


class MemoryCache:
    """A bounded LRU whose entries also expire; per-entry TTL, monotonic clock."""

    def __init__(self, max_entries: int = 10_000, max_ttl_seconds: float = 30.0) -> None:
        self._data: LRUCache[str, tuple[float, bytes]] = LRUCache(maxsize=max(max_entries, 1))
        self._max_ttl = max_ttl_seconds
        self.hits = 0
        self.misses = 0

    async def get(self, key: str) -> bytes | None:
        return self.get_now(key)

    def get_now(self, key: str) -> bytes | None:
        entry = self._data.get(key)
        if entry is None or entry[0] < time.monotonic():
            if entry is not None:
                self._data.pop(key, None)
            self.misses += 1
            return None
        self.hits += 1
        return entry[1]

    async def set(self, key: str, value: bytes, ttl_seconds: float) -> None:
        self.set_now(key, value, ttl_seconds)

    def set_now(self, key: str, value: bytes, ttl_seconds: float) -> None:
        self._data[key] = (time.monotonic() + min(ttl_seconds, self._max_ttl), value)

    async def delete(self, *keys: str) -> None:
        self.evict(*keys)

    def evict(self, *keys: str) -> None:
        for key in keys:
            self._data.pop(key, None)

    def clear(self) -> None:
        self._data.clear()

    async def status(self) -> str:
        return "memory"
