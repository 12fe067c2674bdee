"""Router assembly: every feature's routes, behind the authentication guard."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from revenge.access_keys.routes import router as access_keys_router
from revenge.accounts.app_password_routes import router as app_passwords_router
from revenge.accounts.auth_routes import router as auth_router
from revenge.accounts.browser_routes import router as browser_auth_router
from revenge.accounts.oidc_routes import router as oidc_router
from revenge.accounts.registration_routes import router as registration_router
from revenge.accounts.routes import router as users_router
from revenge.accounts.two_factor_routes import router as two_factor_router
from revenge.activity.routes import router as activity_router
from revenge.api.audit import audit_changes, skip_audit
from revenge.api.deps import require_principal
from revenge.api.routing import FirstSegmentRouter
from revenge.catalog.identify_routes import identify_router
from revenge.catalog.kinds import ContentModule
from revenge.catalog.me.routes import router as me_router
from revenge.catalog.registry import KINDS
from revenge.catalog.state.routes import router as item_state_router
from revenge.collections.routes import router as collections_router
from revenge.compat.jellyfin.routes import router as jellyfin_router
from revenge.compat.subsonic.routes import router as subsonic_router
from revenge.events.routes import router as events_router
from revenge.images.routes import router as images_router
from revenge.integrations.feed_routes import router as podcast_feeds_router
from revenge.integrations.routes import router as integrations_router
from revenge.libraries.folder_browser import router as folder_browser_router
from revenge.metadata.provider_credentials.routes import router as credentials_router
from revenge.notifications.routes import router as notifications_router
from revenge.playback.audio_routes import router as audio_router
from revenge.playback.routes import router as playback_router
from revenge.playback.subtitle_routes import router as subtitle_router
from revenge.playlists.routes import router as playlists_router
from revenge.scanning.routes import router as libraries_router
from revenge.search.routes import router as search_router
from revenge.server_settings.guard import maintenance_guard
from revenge.server_settings.routes import router as settings_router
from revenge.sessions.routes import router as sessions_router
from revenge.streaming.routes import router as streaming_router
from revenge.system.job_routes import router as jobs_router
from revenge.system.routes import router as system_router


def _include_module(guarded: APIRouter, module: ContentModule) -> None:
    """A content module's own routes, then the identify routes of its kinds."""
    routers = [module.routes()]
    routers += [identify_router(k.identify()) for k in module.kinds if k.identify is not None]
    for router in routers:
        guarded.include_router(router, prefix=module.prefix, tags=[module.tag])


async def guard(request: Request) -> None:
    """The guarded routes' router-wide checks, in order: authenticate, refuse during
    maintenance, audit changes. One dependency rather than three: FastAPI solves each
    dependency afresh on every request."""
    await require_principal(request)
    await maintenance_guard(request)
    await audit_changes(request)


def build_router() -> APIRouter:
    guarded = FirstSegmentRouter(dependencies=[Depends(guard)])
    # Routes are matched one by one in this order (prefixes do not short-cut the walk), so
    # what players and browsers call all the time comes first; prefixes never overlap.
    guarded.include_router(search_router)
    for module in KINDS.modules:
        _include_module(guarded, module)
    guarded.include_router(item_state_router, prefix="/api/v1/items", tags=["user state"])
    guarded.include_router(images_router)
    guarded.include_router(streaming_router)
    guarded.include_router(playback_router)
    guarded.include_router(audio_router)
    guarded.include_router(subtitle_router)
    guarded.include_router(me_router, prefix="/api/v1/me", tags=["user state"])
    guarded.include_router(system_router)
    guarded.include_router(auth_router, dependencies=[Depends(skip_audit)])
    guarded.include_router(browser_auth_router, dependencies=[Depends(skip_audit)])
    guarded.include_router(registration_router, dependencies=[Depends(skip_audit)])
    guarded.include_router(oidc_router)
    guarded.include_router(two_factor_router)
    guarded.include_router(users_router)
    guarded.include_router(sessions_router, dependencies=[Depends(skip_audit)])
    guarded.include_router(access_keys_router)
    guarded.include_router(jobs_router, prefix="/api/v1/admin/jobs", tags=["jobs"])
    guarded.include_router(libraries_router, prefix="/api/v1/libraries", tags=["libraries"])
    guarded.include_router(folder_browser_router)
    guarded.include_router(settings_router)
    guarded.include_router(activity_router)
    guarded.include_router(credentials_router)
    guarded.include_router(notifications_router)
    guarded.include_router(events_router)
    guarded.include_router(playlists_router)
    guarded.include_router(collections_router)
    guarded.include_router(integrations_router)
    guarded.include_router(podcast_feeds_router)
    guarded.include_router(app_passwords_router)
    return guarded


def build_routers() -> tuple[APIRouter, ...]:
    """What the app mounts, side by side: every level of router nesting costs each request
    a walk, so the Subsonic and Jellyfin routes (which authenticate with their protocols'
    own credentials) sit beside the guarded ones rather than wrapping them."""
    return (build_router(), subsonic_router, jellyfin_router)
