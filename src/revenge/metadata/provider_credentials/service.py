"""Provider credentials: third-party API keys (TMDb, TheTVDB, ...) sealed at rest.

Only providers get the plaintext (`reveal`); the admin API sees a masked value. A missing key
raises `NoProviderKey`, which metadata jobs report as such instead of a generic failure.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.config import Settings
from revenge.infra.secrets import SecretBox
from revenge.metadata.provider_credentials import repository as repo
from revenge.metadata.provider_credentials.models import ProviderCredential

KNOWN_SERVICES = {
    "tmdb": "The Movie Database",
    "tvdb": "TheTVDB",
    "musicbrainz": "MusicBrainz",
    "fanarttv": "fanart.tv",
    "omdb": "OMDb",
    "lastfm": "Last.fm",
    "opensubtitles": "OpenSubtitles",
}


class NoProviderKey(Exception):
    """A provider needs an API key that no administrator has configured."""

    def __init__(self, service: str) -> None:
        super().__init__(
            f"no API key configured for {service}; an administrator can add one at"
            f" /api/v1/admin/credentials/{service}"
        )
        self.service = service


@dataclass(frozen=True)
class TestOutcome:
    ok: bool
    detail: str
    status_code: int | None = None


Tester = Callable[[httpx.AsyncClient, Settings, str], Awaitable[TestOutcome]]


async def _test_tmdb(http: httpx.AsyncClient, cfg: Settings, key: str) -> TestOutcome:
    # The same base URL the TMDb metadata provider calls.
    url = f"{cfg.metadata.tmdb_base_url.rstrip('/')}/authentication"
    # v4 read-access tokens are JWTs sent as a bearer; v3 keys travel as api_key.
    if key.count(".") == 2:
        resp = await http.get(url, headers={"Authorization": f"Bearer {key}"})
    else:
        resp = await http.get(url, params={"api_key": key})
    return _outcome(resp)


async def _test_tvdb(http: httpx.AsyncClient, cfg: Settings, key: str) -> TestOutcome:
    url = f"{cfg.metadata.tvdb_base_url.rstrip('/')}/login"
    resp = await http.post(url, json={"apikey": key})
    return _outcome(resp)


async def _test_fanarttv(http: httpx.AsyncClient, cfg: Settings, key: str) -> TestOutcome:
    resp = await http.get(f"{cfg.providers.fanarttv_url}/v3/movies/603", params={"api_key": key})
    return _outcome(resp)


def _outcome(resp: httpx.Response) -> TestOutcome:
    if resp.is_success:
        return TestOutcome(True, "The provider accepted the key.", resp.status_code)
    if resp.status_code in (401, 403):
        return TestOutcome(False, "The provider rejected the key.", resp.status_code)
    return TestOutcome(False, f"The provider answered {resp.status_code}.", resp.status_code)


TESTERS: dict[str, Tester] = {"tmdb": _test_tmdb, "tvdb": _test_tvdb, "fanarttv": _test_fanarttv}


def mask(plaintext: str) -> str:
    """Show only the last four characters (fewer for very short keys)."""
    visible = 4 if len(plaintext) >= 12 else min(2, len(plaintext) // 3)
    return "•" * 8 + (plaintext[-visible:] if visible else "")


class CredentialService:
    """Store, reveal (to providers only), mask and test provider keys.

    A key revealed with `remember` is kept in this process for `cache.local_ttl_seconds`
    (`remembered`): providers ask for it before every request, and a read and an update in a
    transaction of their own per request were about a tenth of a library's first match. A key
    stored or removed here is forgotten at once; one changed on another node is seen within
    that time, the bound every in-process cache entry keeps. A missing key is never
    remembered, so a key just added is used at once everywhere.
    """

    def __init__(self, box: SecretBox, http: httpx.AsyncClient, cfg: Settings) -> None:
        self._box = box
        self._http = http
        self._cfg = cfg
        self._remembered: dict[str, tuple[float, str]] = {}

    async def put(
        self, session: AsyncSession, service: str, value: str, actor: uuid.UUID | None
    ) -> ProviderCredential:
        self._remembered.pop(service, None)
        sealed = self._box.encrypt(value.encode())
        return await repo.upsert(session, service, sealed, SecretBox.key_id_of_value(sealed), actor)

    async def remove(self, session: AsyncSession, service: str) -> bool:
        self._remembered.pop(service, None)
        return await repo.remove(session, service)

    def forget(self) -> None:
        """Drop every remembered key (the table was emptied behind this process' back)."""
        self._remembered.clear()

    def remembered(self, service: str) -> str | None:
        """The plaintext key revealed with `remember` lately, if still fresh."""
        found = self._remembered.get(service)
        return found[1] if found is not None and found[0] > time.monotonic() else None

    async def list(self, session: AsyncSession) -> list[ProviderCredential]:
        return await repo.list_all(session)

    async def find(self, session: AsyncSession, service: str) -> ProviderCredential | None:
        return await repo.find(session, service)

    def masked(self, row: ProviderCredential) -> str:
        return mask(self._box.decrypt(row.encrypted_value).decode())

    async def reveal(self, session: AsyncSession, service: str, *, remember: bool = False) -> str:
        """The plaintext key for a provider; NoProviderKey when none is stored."""
        row = await repo.find(session, service)
        if row is None:
            raise NoProviderKey(service)
        await repo.touch(session, service)
        plaintext = self._box.decrypt(row.encrypted_value).decode()
        if remember:
            expires = time.monotonic() + self._cfg.cache.local_ttl_seconds
            self._remembered[service] = (expires, plaintext)
        return plaintext

    async def test(self, session: AsyncSession, service: str) -> TestOutcome:
        """Ask the provider whether the stored key works."""
        tester = TESTERS.get(service)
        if tester is None:
            return TestOutcome(False, f"No key test is available for {service}.")
        key = await self.reveal(session, service)
        try:
            return await tester(self._http, self._cfg, key)
        except httpx.HTTPError as exc:
            return TestOutcome(False, f"Could not reach the provider: {type(exc).__name__}.")
