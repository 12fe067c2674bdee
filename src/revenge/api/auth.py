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
    # query (streaming.signing).
    ("GET", "/api/v1/stream/{file_id}"),
    ("GET", "/api/v1/stream/{file_id}/subtitles/{name}"),
    ("GET", "/api/v1/stream/{file_id}/audio"),
    ("GET", "/api/v1/playback/subtitles/{file_id}/{track_id}.vtt"),
    ("GET", "/api/v1/images/{image_id}"),
    ("GET", "/api/v1/playback/hls/{file_id}/{session_id}/master.m3u8"),
    ("GET", "/api/v1/playback/hls/{file_id}/{session_id}/{variant}/index.m3u8"),
    ("GET", "/api/v1/playback/hls/{file_id}/{session_id}/subs/{track_id}.m3u8"),
    ("GET", "/api/v1/playback/hls/{file_id}/{session_id}/{variant}/{segment}.ts"),
    # The Jellyfin-compatible API: what Jellyfin itself answers without a token.
    ("GET", "/System/Info/Public"),
    ("GET", "/System/Ping"),
    ("POST", "/System/Ping"),
    ("POST", "/Users/AuthenticateByName"),
    ("GET", "/Users/Public"),
    ("GET", "/Branding/Configuration"),
    ("GET", "/Branding/Css"),
    ("GET", "/QuickConnect/Enabled"),
    # Radarr/Sonarr/Lidarr webhooks authenticate with their integration's own secret.
    ("POST", "/api/v1/hooks/{integration_id}"),
    # Browser sign-in: the refresh token travels in an HttpOnly cookie, checked against CSRF.
    ("POST", "/api/v1/auth/browser/login"),
    ("POST", "/api/v1/auth/browser/refresh"),
    ("POST", "/api/v1/auth/browser/logout"),
    # Beside the OIDC routes: the flow's binding cookie is sent only below their path.
    ("POST", "/api/v1/auth/oidc/browser-exchange"),
}

# The web app (revenge.web): the same HTML shell for each of its own first path segments
# (history routing) and its script, style and vendored files. They carry no data; every API
# call the app makes authenticates. Lowercase and listed, so no API or client protocol path
# (Jellyfin's `/Users`, `/Items`, ...; Subsonic's `/rest`) is ever shadowed.
WEB_APP_SEGMENTS = (
    "setup",
    "login",
    "search",
    "libraries",
    "movies",
    "tv",
    "music",
    "audiobooks",
    "podcasts",
    "account",
    "playlists",
    "collections",
    "admin",
)
PUBLIC_ROUTES |= {("GET", "/"), ("GET", "/favicon.ico"), ("GET", "/static/{path:path}")}
PUBLIC_ROUTES |= {("GET", f"/{segment}") for segment in WEB_APP_SEGMENTS}
PUBLIC_ROUTES |= {("GET", f"/{segment}/{{rest:path}}") for segment in WEB_APP_SEGMENTS}


def is_public(method: str, path_template: str) -> bool:
    if method == "HEAD":
        method = "GET"
    return (method, path_template) in PUBLIC_ROUTES
