"""OpenID Connect sign-in: authorization code flow with PKCE, state and nonce.

1. `begin`: a random state, nonce and PKCE verifier are stored (hashed state as key) with a
   hash of a random browser-binding value that the route sets as an HttpOnly cookie; the
   browser is sent to the provider.
2. `take_state` + `complete`: the callback consumes the state once (committed on its own,
   so a failed or replayed callback cannot reuse it), checks the binding cookie, exchanges the
   code (with the verifier), verifies the ID token (signature from the provider's JWKS,
   issuer, audience, expiry, nonce), finds the user by issuer+subject (or creates one when the
   provider allows it) and stores a one-time login code valid for 60 seconds.
3. `take_login` + `exchange`: the web app POSTs the login code (from the redirect's URL
   fragment) with the same binding cookie and receives the session tokens in the response
   body. No token ever appears in a URL.

Every call to the provider (discovery, keys, token) goes through the SSRF guard with the
`http.outbound_allowlist` setting, as an issuer URL is typed in by an administrator: a
provider on the local network must be allowlisted. Failures reach anonymous callers only as a
generic error; the reason is logged.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
import uuid
import warnings
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import httpx
from authlib.integrations.base_client.errors import OAuthError
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.accounts import oidc_repository as repo
from revenge.accounts import repository as users_repo
from revenge.accounts.models import OidcFlow, OidcLink, OidcProvider, User
from revenge.accounts.oidc_users import groups_of, username_candidates
from revenge.accounts.service import NewUser, UserService
from revenge.errors import (
    BadGateway,
    BadRequest,
    Conflict,
    Forbidden,
    NotFound,
    Unauthorized,
    must_exist,
)
from revenge.infra.http import Allowlist, FetchError, OutboundBlocked, guarded_transport
from revenge.infra.secrets import SecretBox

with warnings.catch_warnings():
    # authlib announces a future move to the httpx2 package on import; nothing to act on yet.
    warnings.simplefilter("ignore")
    from authlib.integrations.httpx_client import AsyncOAuth2Client

if TYPE_CHECKING:
    from revenge.runtime import Runtime

log = logging.getLogger(__name__)

FLOW_TTL = timedelta(minutes=10)
LOGIN_CODE_TTL = timedelta(seconds=60)
_METADATA_TTL = 3600.0
# Discovery entries a sign-in uses; a document without them is the provider's fault.
_ENDPOINTS = ("authorization_endpoint", "token_endpoint", "jwks_uri")
_SIGNING_ALGS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA")
REFUSED = "The identity provider did not confirm this sign-in."


def _reason(exc: BaseException) -> str:
    blocked = exc.__context__ if isinstance(exc.__context__, OutboundBlocked) else None
    return str(blocked or exc) or type(exc).__name__


def _digest(value: str) -> bytes:
    return hashlib.sha256(value.encode()).digest()


async def _add_flow(
    session: AsyncSession, secret: str, kind: str, ttl: timedelta, **fields: Any
) -> None:
    """Remember a sign-in step under the hash of its one-time `secret`, for `ttl`."""
    expires_at = datetime.now(UTC) + ttl
    flow = OidcFlow(key_hash=_digest(secret), kind=kind, expires_at=expires_at, **fields)
    await repo.add_flow(session, flow)


def _same(binding: str | None, expected_hex: str) -> bool:
    return binding is not None and hmac.compare_digest(
        _digest(binding).hex().encode(), expected_hex.encode()
    )


class OidcService:
    def __init__(self, runtime: Runtime, box: SecretBox, users: UserService) -> None:
        self._rt = runtime
        self._box = box
        self._users = users
        self._metadata_cache: dict[str, tuple[float, dict[str, Any]]] = {}
        # Issuer URLs are typed in by an administrator: discovery, keys and token calls go
        # through the SSRF guard and its allowlist like every other user-supplied URL.
        self._allowlist = Allowlist()
        self._http = httpx.AsyncClient(
            transport=guarded_transport(lambda: self._allowlist),
            timeout=httpx.Timeout(10.0, connect=5.0),
            follow_redirects=False,
        )
        runtime.closers.append(self._http.aclose)

    async def _refresh_allowlist(self) -> None:
        self._allowlist = await self._rt.server_settings.outbound_allowlist()

    def encrypt_secret(self, secret: str) -> str:
        return self._box.encrypt(secret.encode()).decode()

    async def providers(self, session: AsyncSession, *, enabled_only: bool) -> list[OidcProvider]:
        return list(await repo.list_providers(session, enabled_only=enabled_only))

    async def provider(self, session: AsyncSession, provider_id: uuid.UUID) -> OidcProvider:
        found = await repo.get_provider(session, provider_id)
        return must_exist(found, "No such identity provider.")

    async def create_provider(
        self, session: AsyncSession, name: str, issuer: str, client_id: str, changes: dict[str, Any]
    ) -> OidcProvider:
        if await repo.provider_by_name(session, name) is not None:
            raise Conflict(f"A provider named {name!r} exists.")
        provider = OidcProvider(name=name, issuer=issuer, client_id=client_id)
        self._apply(provider, changes)
        return await repo.save(session, provider)

    async def update_provider(
        self, session: AsyncSession, provider_id: uuid.UUID, changes: dict[str, Any]
    ) -> OidcProvider:
        provider = await self.provider(session, provider_id)
        self._apply(provider, changes)
        try:
            return await repo.save(session, provider)
        except IntegrityError:
            raise Conflict("That change conflicts with another provider.") from None

    async def delete_provider(self, session: AsyncSession, provider_id: uuid.UUID) -> None:
        await repo.delete_provider(session, await self.provider(session, provider_id))

    def _apply(self, provider: OidcProvider, changes: dict[str, Any]) -> None:
        if "client_secret" in changes:
            secret = changes.pop("client_secret")
            provider.client_secret_encrypted = self.encrypt_secret(secret) if secret else None
        for field, value in changes.items():
            if value is not None or field == "admin_group":
                setattr(provider, field, value)

    def _client_secret(self, provider: OidcProvider) -> str | None:
        if provider.client_secret_encrypted is None:
            return None
        return self._box.decrypt(provider.client_secret_encrypted.encode()).decode()

    async def begin(
        self, session: AsyncSession, name: str, redirect_uri: str, return_to: str
    ) -> tuple[str, str]:
        """(authorization URL, browser binding value) for a sign-in with provider `name`."""
        provider = await repo.provider_by_name(session, name)
        if provider is None or not provider.enabled:
            raise NotFound(f"No enabled identity provider is named {name!r}.")
        meta = await self._metadata(provider)
        state, nonce, binding = (secrets.token_urlsafe(32) for _ in range(3))
        verifier = secrets.token_urlsafe(64)
        async with self._client(provider, redirect_uri) as client:
            url, _ = client.create_authorization_url(
                meta["authorization_endpoint"], state=state, code_verifier=verifier, nonce=nonce
            )
        data = {
            "nonce": nonce,
            "verifier": verifier,
            "redirect_uri": redirect_uri,
            "return_to": return_to,
            "binding": _digest(binding).hex(),
        }
        await _add_flow(session, state, "state", FLOW_TTL, provider_id=provider.id, data=data)
        return str(url), binding

    async def take_state(self, session: AsyncSession, state: str) -> OidcFlow | None:
        return await repo.take_flow(session, "state", _digest(state))

    async def take_login(self, session: AsyncSession, login_code: str) -> OidcFlow | None:
        return await repo.take_flow(session, "login", _digest(login_code))

    async def complete(
        self, session: AsyncSession, flow: OidcFlow, code: str, binding: str | None
    ) -> tuple[str, str]:
        """(one-time login code, return path) after the provider's callback."""
        if not _same(binding, flow.data["binding"]):
            raise BadRequest("This sign-in was started in another browser; start again.")
        provider = await repo.get_provider(session, flow.provider_id) if flow.provider_id else None
        if provider is None or not provider.enabled:
            raise BadRequest("The identity provider of this sign-in is no longer available.")
        meta = await self._metadata(provider)
        tokens = await self._exchange_code(provider, meta, code, flow.data)
        claims = await self._verify_id_token(provider, meta, tokens, flow.data["nonce"])
        user = await self._user_for(session, provider, claims)
        login_code = secrets.token_urlsafe(32)
        data = {"binding": flow.data["binding"], "provider": provider.name}
        await _add_flow(session, login_code, "login", LOGIN_CODE_TTL, user_id=user.id, data=data)
        return login_code, flow.data["return_to"]

    async def user_for_login(
        self, session: AsyncSession, flow: OidcFlow, binding: str | None
    ) -> User:
        """The user a consumed login code signs in, after checking the browser binding."""
        if not _same(binding, flow.data["binding"]) or flow.user_id is None:
            raise Unauthorized("This login code belongs to another browser.")
        user = await users_repo.get(session, flow.user_id)
        if user is None or user.disabled:
            raise Unauthorized("This account cannot sign in.")
        return user

    async def cleanup(self, session: AsyncSession) -> int:
        return await repo.delete_expired_flows(session)

    def _client(self, provider: OidcProvider, redirect_uri: str) -> AsyncOAuth2Client:
        secret = self._client_secret(provider)
        return AsyncOAuth2Client(
            transport=guarded_transport(lambda: self._allowlist),
            client_id=provider.client_id,
            client_secret=secret,
            token_endpoint_auth_method="client_secret_basic" if secret else "none",
            scope=provider.scopes,
            redirect_uri=redirect_uri,
            code_challenge_method="S256",
            timeout=10.0,
        )

    async def _metadata(self, provider: OidcProvider) -> dict[str, Any]:
        """The provider's discovery document (cached an hour); its issuer must match."""
        cached = self._metadata_cache.get(provider.issuer)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        url = provider.issuer.rstrip("/") + "/.well-known/openid-configuration"
        await self._refresh_allowlist()
        try:
            response = await self._http.get(url)
            response.raise_for_status()
            meta: dict[str, Any] = response.json()
        except (httpx.HTTPError, OutboundBlocked, FetchError, ValueError) as exc:
            # Callers of the sign-in routes are anonymous: the details go to the log only.
            log.warning("identity provider %s unreachable: %s", provider.name, _reason(exc))
            raise BadGateway("The identity provider could not be reached.") from None
        if not isinstance(meta, dict):
            raise BadGateway("The identity provider's discovery document is not an object.")
        if str(meta.get("issuer", "")).rstrip("/") != provider.issuer.rstrip("/"):
            raise BadGateway("The identity provider's discovery document names another issuer.")
        missing = [k for k in _ENDPOINTS if not isinstance(meta.get(k), str)]
        if missing:
            raise BadGateway(f"The identity provider's discovery document lacks {missing[0]}.")
        self._metadata_cache[provider.issuer] = (time.monotonic() + _METADATA_TTL, meta)
        return meta

    async def _exchange_code(
        self, provider: OidcProvider, meta: dict[str, Any], code: str, data: dict[str, str]
    ) -> dict[str, Any]:
        await self._refresh_allowlist()
        try:
            async with self._client(provider, data["redirect_uri"]) as client:
                token: dict[str, Any] = await client.fetch_token(
                    meta["token_endpoint"],
                    grant_type="authorization_code",
                    code=code,
                    code_verifier=data["verifier"],
                )
        except (OAuthError, httpx.HTTPError, OutboundBlocked, FetchError, ValueError, KeyError):
            raise Unauthorized(REFUSED) from None
        if "id_token" not in token:
            raise Unauthorized(REFUSED)
        return token

    async def _verify_id_token(
        self, provider: OidcProvider, meta: dict[str, Any], tokens: dict[str, Any], nonce: str
    ) -> dict[str, Any]:
        try:
            await self._refresh_allowlist()
            response = await self._http.get(meta["jwks_uri"])
            response.raise_for_status()
            keys = KeySet.import_key_set(response.json())
            token = jwt.decode(tokens["id_token"], keys, algorithms=_SIGNING_ALGS)
            jwt.JWTClaimsRegistry(
                leeway=60,
                iss={"essential": True, "value": provider.issuer.rstrip("/")},
                sub={"essential": True},
                exp={"essential": True},
                nonce={"essential": True, "value": nonce},
            ).validate(token.claims)
        except (JoseError, httpx.HTTPError, OutboundBlocked, FetchError, ValueError, KeyError):
            raise Unauthorized(REFUSED) from None
        claims: dict[str, Any] = dict(token.claims)
        audience = claims.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if provider.client_id not in audiences:
            raise Unauthorized(REFUSED)
        if len(audiences) > 1 and claims.get("azp") != provider.client_id:
            raise Unauthorized(REFUSED)
        return claims

    async def _user_for(
        self, session: AsyncSession, provider: OidcProvider, claims: dict[str, Any]
    ) -> User:
        """The linked user (keyed on issuer+subject), created on first sign-in when allowed."""
        issuer, subject = provider.issuer.rstrip("/"), str(claims["sub"])
        in_admin_group = provider.admin_group is not None and provider.admin_group in groups_of(
            claims, provider.groups_claim
        )
        link = await users_repo.link_for(session, issuer, subject)
        if link is not None:
            user = await users_repo.get(session, link.user_id, lock=True)
            if user is None:
                raise Unauthorized("This account cannot sign in.")
        elif provider.auto_create_users:
            user = await self._create_user(session, provider, claims, in_admin_group)
            await users_repo.add_link(
                session,
                OidcLink(user_id=user.id, provider_id=provider.id, issuer=issuer, subject=subject),
            )
        else:
            raise Forbidden("No account is linked to this identity; ask an administrator.")
        if user.disabled:
            raise Unauthorized("This account cannot sign in.")
        if provider.admin_group is not None:
            await self._users.apply_role(session, user, "admin" if in_admin_group else "user")
        return user

    async def _create_user(
        self, session: AsyncSession, provider: OidcProvider, claims: dict[str, Any], admin: bool
    ) -> User:
        mapping = provider.claim_mapping
        email = claims.get(mapping.get("email", "email"))
        name = claims.get(mapping.get("display_name", "name"))
        for candidate in username_candidates(claims, mapping):
            if not await users_repo.username_taken(session, candidate):
                return await self._users.create(
                    session,
                    NewUser(
                        username=candidate,
                        password=None,
                        role="admin" if admin else "user",
                        email=str(email)[:320] if email else None,
                        display_name=str(name)[:200] if name else None,
                    ),
                )
        raise BadRequest("Could not pick a free username for this identity.")
