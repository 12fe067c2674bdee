"""The web app's shell and files: index.html for the app's own paths, /static, and /docs.

Only the first path segments the app routes get its page (listed in `api.auth`), so the API,
the client protocols' paths (Jellyfin's `/System`, `/Users`, ...; Subsonic's `/rest`) and
`/metrics` are never shadowed. These responses hold no data: every call the app makes to the
API authenticates on its own.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fastapi import APIRouter, Depends, Request, Response

from revenge.api.auth import WEB_APP_SEGMENTS
from revenge.api.deps import require_principal
from revenge.web import compressed

STATIC_DIR = Path(__file__).parent / "static"

# No inline script or style anywhere; media and images come from this server (blob: for the
# HLS player's Media Source and the blurhash canvases), nothing may frame the app.
CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
_PAGE_HEADERS = {
    "Content-Security-Policy": CSP,
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    # The shell is tiny and must follow upgrades at once; the browser revalidates it each time.
    "Cache-Control": "no-cache",
}
_IMMUTABLE = "public, max-age=31536000, immutable"

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_principal)])


@cache
def _page(name: str) -> bytes:
    return (STATIC_DIR / name).read_bytes()


def html_page(name: str) -> Response:
    """One of the app's HTML files, with the security headers every page carries."""
    return Response(_page(name), media_type="text/html; charset=utf-8", headers=_PAGE_HEADERS)


async def app_page() -> Response:
    return html_page("index.html")


router.add_api_route("/", app_page, methods=["GET"])
for _segment in WEB_APP_SEGMENTS:
    router.add_api_route(f"/{_segment}", app_page, methods=["GET"])
    router.add_api_route(f"/{_segment}/{{rest:path}}", app_page, methods=["GET"])


@router.get("/static/{path:path}")
async def static_file(path: str, request: Request) -> Response:
    """A file of the app; vendored files carry their version in their name, so never change."""
    found = compressed.find(STATIC_DIR, path)
    if found is None:
        return Response(status_code=404)
    cached = path.startswith("vendor/")
    headers = {"Cache-Control": _IMMUTABLE if cached else "no-cache"}
    if path.endswith(".html"):
        headers = {**headers, **_PAGE_HEADERS}
    return compressed.file_response(found, request, headers)


@router.get("/favicon.ico")
async def favicon() -> Response:
    """Browsers ask for it on every page, the API's JSON included."""
    return Response(
        _page("icon.svg"),
        media_type="image/svg+xml",
        headers={"Cache-Control": "public, max-age=86400"},
    )


@router.get("/docs")
async def docs() -> Response:
    """Swagger UI from the package: works offline and under the same CSP."""
    return html_page("docs/index.html")


@router.get("/docs/oauth2-redirect")
async def docs_oauth2_redirect() -> Response:
    return html_page("docs/oauth2-redirect.html")
