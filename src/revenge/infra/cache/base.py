"""The cache interface every feature uses."""

from __future__ import annotations

from typing import Protocol


class Cache(Protocol):
    """Bytes in, bytes out; keys are namespaced by the caller (e.g. `session:<hash>`)."""

    async def get(self, key: str) -> bytes | None: ...

    async def set(self, key: str, value: bytes, ttl_seconds: float) -> None: ...

    async def delete(self, *keys: str) -> None:
        """Remove keys here and on every other node."""
        ...

    async def status(self) -> str:
        """`memory`, `ok` or `degraded` (remote tier unreachable)."""
        ...
