"""A provider key source over fixed keys."""

from __future__ import annotations

from revenge.metadata.errors import NoProviderKey


class StaticKeys:
    """KeySource over keyword arguments; a missing service raises NoProviderKey."""

    def __init__(self, **keys: str) -> None:
        self.keys = keys

    async def get(self, service: str) -> str:
        if service not in self.keys:
            raise NoProviderKey(service, "no API key configured")
        return self.keys[service]
