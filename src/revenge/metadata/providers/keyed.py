"""What the providers behind an API key share: their HTTP client and where keys come from."""

from __future__ import annotations

from revenge.metadata.http import ProviderHttp
from revenge.metadata.protocols import KeySource


class KeyedProvider:
    """A provider called over HTTP with a key from the provider credentials (`keys`)."""

    name: str

    def __init__(self, http: ProviderHttp, keys: KeySource) -> None:
        self.http = http
        self.keys = keys
