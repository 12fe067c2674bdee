"""Router assembly: every feature's routes, behind the authentication guard."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from revenge.accounts.auth_routes import router as auth_router
from revenge.accounts.oidc_routes import router as oidc_router
from revenge.accounts.registration import router as registration_router
from revenge.accounts.routes import router as users_router
from revenge.accounts.two_factor_routes import router as two_factor_router
from revenge.activity.audit import audit_changes, skip_audit
from revenge.activity.routes import router as activity_router
from revenge.api.deps import require_principal
from revenge.apikeys.access_keys_routes import router as access_keys_router
from revenge.apikeys.credentials_routes import router as credentials_router
from revenge.catalog.audiobooks.routes import router as audiobooks_router
from revenge.catalog.me.routes import router as me_router
from revenge.catalog.movies.identify_routes import router as movie_identify_router
from revenge.catalog.movies.routes import router as movies_router
from revenge.catalog.music.identify_routes import router as album_identify_router
from revenge.catalog.music.routes import router as music_router
from revenge.catalog.podcasts.routes import router as podcasts_router
from revenge.catalog.state.routes import router as item_state_router
from revenge.catalog.tv.identify_routes import router as series_identify_router
from revenge.catalog.tv.routes import router as tv_router
from revenge.collections.routes import router as collections_router
from revenge.events.routes import router as events_router
from revenge.images.routes import router as images_router
from revenge.infra.jobs.routes import router as jobs_router
from revenge.integrations.feed_routes import router as podcast_feeds_router
from revenge.integrations.routes import router as integrations_router
from revenge.libraries.routes import router as libraries_router
from revenge.notifications.routes import router as notifications_router
from revenge.playback.audio_routes import router as audio_router
from revenge.playback.routes import router as playback_router
from revenge.playback.subtitle_routes import router as subtitle_router
from revenge.playlists.routes import router as playlists_router
from revenge.search.routes import router as search_router
from revenge.server_settings.guard import maintenance_guard
from revenge.server_settings.routes import router as settings_router
from revenge.sessions.routes import router as sessions_router
from revenge.streaming.routes import router as streaming_router
from revenge.system.routes import router as system_router


def build_router() -> APIRouter:
    # Order matters: authenticate, then refuse during maintenance, then audit changes.
    router = APIRouter(
        dependencies=[
            Depends(require_principal),
            Depends(maintenance_guard),
            Depends(audit_changes),
        ]
    )
    # Routes are matched one by one in this order (prefixes do not short-cut the walk), so
    # what players and browsers call all the time comes first; prefixes never overlap.
    router.include_router(search_router)
    router.include_router(movies_router, prefix="/api/v1/movies", tags=["movies"])
    router.include_router(movie_identify_router, prefix="/api/v1/movies", tags=["movies"])
    router.include_router(tv_router, prefix="/api/v1/tv", tags=["tv"])
    router.include_router(series_identify_router, prefix="/api/v1/tv", tags=["tv"])
    router.include_router(music_router, prefix="/api/v1/music", tags=["music"])
    router.include_router(album_identify_router, prefix="/api/v1/music", tags=["music"])
    router.include_router(item_state_router, prefix="/api/v1/items", tags=["user state"])
    router.include_router(images_router)
    router.include_router(streaming_router)
    router.include_router(playback_router)
    router.include_router(audio_router)
    router.include_router(subtitle_router)
    router.include_router(me_router, prefix="/api/v1/me", tags=["user state"])
    router.include_router(audiobooks_router, prefix="/api/v1/audiobooks", tags=["audiobooks"])
    router.include_router(podcasts_router, prefix="/api/v1/podcasts", tags=["podcasts"])
    router.include_router(system_router)
    router.include_router(auth_router, dependencies=[Depends(skip_audit)])
    router.include_router(registration_router, dependencies=[Depends(skip_audit)])
    router.include_router(oidc_router)
    router.include_router(two_factor_router)
    router.include_router(users_router)
    router.include_router(sessions_router, dependencies=[Depends(skip_audit)])
    router.include_router(access_keys_router)
    router.include_router(jobs_router, prefix="/api/v1/admin/jobs", tags=["jobs"])
    router.include_router(libraries_router, prefix="/api/v1/libraries", tags=["libraries"])
    router.include_router(settings_router)
    router.include_router(activity_router)
    router.include_router(credentials_router)
    router.include_router(notifications_router)
    router.include_router(events_router)
    router.include_router(playlists_router)
    router.include_router(collections_router)
    router.include_router(integrations_router)
    router.include_router(podcast_feeds_router)
    return router
