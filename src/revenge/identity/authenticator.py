"""The authenticator: turns a request's credentials into a principal, from headers only.

`Authorization: Bearer <token>` carries either a session token (`rvs_...`) or an access key
(`rvk_...`); `X-Api-Key: rvk_...` carries an access key. Query strings are never read here
(signed media tokens are checked by the media routes, see streaming.signing). Each kind of
credential is a backend; the first one that accepts a credential's prefix decides.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

from starlette.requests import Request

from revenge.identity.client import client_ip
from revenge.identity.principal import Principal


class Authenticator(Protocol):
    """Turns a request's credentials into a principal, or None when there are none/invalid."""

    async def authenticate(self, request: Request) -> Principal | None: ...

    async def authenticate_credential(self, credential: str, request: Request) -> Principal | None:
        """A credential found elsewhere than the native headers (protocol adapters)."""
        ...


class NoAuthenticator:
    """Used until an account system is wired in: nobody is authenticated."""

    async def authenticate(self, request: Request) -> Principal | None:
        return None

    async def authenticate_credential(self, credential: str, request: Request) -> Principal | None:
        return None


class CredentialBackend(Protocol):
    """One kind of bearer credential (sessions, personal access keys)."""

    def accepts(self, credential: str) -> bool: ...

    async def principal(self, credential: str, ip: str | None) -> Principal | None: ...


def bearer_credential(request: Request) -> str | None:
    """The credential a request carries in its headers, if any."""
    # One pass over the raw list (names come lowercased), the first of each as
    # `Headers.get` gives: every request asks, and most carry neither header.
    header = api_key = None
    for name, value in request.scope["headers"]:
        if name == b"authorization" and header is None:
            header = value.decode("latin-1")
        elif name == b"x-api-key" and api_key is None:
            api_key = value.decode("latin-1")
    if header:
        scheme, _, value = header.partition(" ")
        return value.strip() or None if scheme.lower() == "bearer" else None
    return api_key or None


Complete = Callable[[Principal], Awaitable[Principal]]


async def _as_is(principal: Principal) -> Principal:
    return principal


class TokenAuthenticator:
    """Implements Authenticator over credential backends, tried in order; `complete` adds
    what every principal carries beyond its credential (the libraries its user may see)."""

    def __init__(
        self,
        backends: Sequence[CredentialBackend],
        trusted_proxies: list[str],
        complete: Complete = _as_is,
    ) -> None:
        self._backends = tuple(backends)
        self._proxies = trusted_proxies
        self._complete = complete

    async def authenticate(self, request: Request) -> Principal | None:
        credential = bearer_credential(request)
        if credential is None:
            return None
        return await self.authenticate_credential(credential, request)

    async def authenticate_credential(self, credential: str, request: Request) -> Principal | None:
        """The principal of a credential however it arrived (the protocol adapters read
        theirs from their own headers or query parameters)."""
        for backend in self._backends:
            if backend.accepts(credential):
                found = await backend.principal(credential, client_ip(request, self._proxies))
                return None if found is None else await self._complete(found)
        return None
