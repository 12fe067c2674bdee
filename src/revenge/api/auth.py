"""The public route list: the routes reachable without credentials (identity has the rest)."""

from __future__ import annotations

# (method, path template) pairs reachable without credentials. Everything else needs them.
PUBLIC_ROUTES: set[tuple[str, str]] = {
    ("GET", "/health/live"),
    ("GET", "/health/ready"),
    ("GET", "/metrics"),
    ("GET", "/api/v1/system/info"),
    ("GET", "/api/v1/settings/public"),
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
    ("GET", "/docs/oauth2-redirect"),
    # Accounts: first-run setup refuses (409) once a user exists.
    ("POST", "/api/v1/setup"),
    ("POST", "/api/v1/auth/login"),
    # Open registration refuses (403) unless `auth.registration_enabled` is on.
    ("POST", "/api/v1/auth/register"),
    ("POST", "/api/v1/auth/refresh"),
    ("GET", "/api/v1/auth/oidc/providers"),
    ("GET", "/api/v1/auth/oidc/{name}/login"),
    ("GET", "/api/v1/auth/oidc/callback"),
    ("POST", "/api/v1/auth/oidc/exchange"),
    # Media routes check credentials themselves: a session/key, or a signed media token in the
    # query (playback.signing).
    ("GET", "/api/v1/stream/{file_id}"),
    ("GET", "/api/v1/stream/{file_id}/subtitles/{name}"),
    ("GET", "/api/v1/stream/{file_id}/audio"),
    ("GET", "/api/v1/playback/subtitles/{file_id}/{track_id}.vtt"),
    ("GET", "/api/v1/images/{image_id}"),
    ("GET", "/api/v1/playback/hls/{file_id}/{session_id}/master.m3u8"),
    ("GET", "/api/v1/playback/hls/{file_id}/{session_id}/{variant}/index.m3u8"),
    ("GET", "/api/v1/playback/hls/{file_id}/{session_id}/subs/{track_id}.m3u8"),
    ("GET", "/api/v1/playback/hls/{file_id}/{session_id}/{variant}/{segment}.ts"),
    # Radarr/Sonarr/Lidarr webhooks authenticate with their integration's own secret.
    ("POST", "/api/v1/hooks/{integration_id}"),
}


def is_public(method: str, path_template: str) -> bool:
    if method == "HEAD":
        method = "GET"
    return (method, path_template) in PUBLIC_ROUTES
