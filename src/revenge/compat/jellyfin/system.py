"""Server discovery, sign-in, the current user, and what clients ask for at start-up."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from revenge import __version__
from revenge.api.deps import app_runtime
from revenge.compat.jellyfin import shapes
from revenge.compat.jellyfin.auth import client_of, sign_in
from revenge.compat.jellyfin.common import context, router, server_id
from revenge.compat.jellyfin.ids import jid, parse
from revenge.errors import BadRequest, NotFound
from revenge.runtime import Runtime

# The Jellyfin release whose API this follows (clients check it against their minimum).
JELLYFIN_VERSION = "10.10.0"


async def _public_info(runtime: Runtime, request: Request) -> dict[str, Any]:
    return {
        "LocalAddress": str(request.base_url).rstrip("/"),
        "ServerName": await runtime.server_settings.get("server.name"),
        "Version": JELLYFIN_VERSION, "ProductName": "Revenge",
        "OperatingSystem": "", "Id": server_id(runtime), "StartupWizardCompleted": True,
    }  # fmt: skip


@router.get("/System/Info/Public")
async def public_info(request: Request) -> dict[str, Any]:
    return await _public_info(app_runtime(request), request)


@router.get("/System/Info")
async def system_info(request: Request) -> dict[str, Any]:
    info = await _public_info(app_runtime(request), request)
    return {**info, "ServerVersion": __version__, "CanSelfRestart": False,
            "HasPendingRestart": False, "SupportsLibraryMonitor": True,
            "OperatingSystemDisplayName": "", "WebSocketPortNumber": 0}  # fmt: skip


@router.get("/System/Ping")
@router.post("/System/Ping")
async def ping() -> Response:
    return Response(json.dumps("Jellyfin Server"), media_type="application/json")


@router.get("/Branding/Configuration")
async def branding() -> dict[str, Any]:
    return {"LoginDisclaimer": "", "CustomCss": "", "SplashscreenEnabled": False}


@router.get("/Branding/Css")
async def branding_css() -> Response:
    return Response("", media_type="text/css")


@router.get("/QuickConnect/Enabled")
async def quick_connect_enabled() -> bool:
    return False


@router.get("/Users/Public")
async def public_users() -> list[Any]:
    return []  # Revenge never lists its accounts to strangers


async def _credentials(request: Request) -> tuple[str, str]:
    try:
        body = json.loads(await request.body() or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("The body must be JSON with Username and Pw.") from None
    if not isinstance(body, dict):
        raise BadRequest("The body must be JSON with Username and Pw.")
    fields = {str(k).lower(): v for k, v in body.items()}
    name, password = fields.get("username"), fields.get("pw", fields.get("password"))
    if not isinstance(name, str) or not name or not isinstance(password, str | None):
        raise BadRequest("Username and Pw are required.")
    return name, password or ""


@router.post("/Users/AuthenticateByName")
async def authenticate_by_name(request: Request) -> dict[str, Any]:
    """Sign in: a Revenge session whose token is the `AccessToken`."""
    runtime = app_runtime(request)
    name, password = await _credentials(request)
    issued, user = await sign_in(runtime, request, name, password)
    server = server_id(runtime)
    client = client_of(request)
    return {
        "User": shapes.user(user, server), "AccessToken": issued.access_token,
        "ServerId": server,
        "SessionInfo": {"Id": jid("server", issued.session.id), "UserId": jid("user", user.id),
                        "UserName": user.username, "Client": client.client_name,
                        "DeviceId": client.device_id, "DeviceName": client.device_name},
    }  # fmt: skip


async def _me(request: Request) -> dict[str, Any]:
    async with context(request) as ctx:
        user = await ctx.runtime.accounts.users.get(ctx.session, ctx.user_id)
        return shapes.user(user, ctx.server)


@router.get("/Users/Me")
async def users_me(request: Request) -> dict[str, Any]:
    return await _me(request)


@router.get("/Users/{user_id}")
async def user_by_id(user_id: str, request: Request) -> dict[str, Any]:
    """Only the caller's own account (an administrator's too: no account listing here)."""
    async with context(request) as ctx:
        if parse(user_id) != ("user", ctx.user_id):
            raise NotFound("No such user.")
    return await _me(request)


@router.get("/Users")
async def users(request: Request) -> list[dict[str, Any]]:
    return [await _me(request)]


@router.post("/Sessions/Capabilities")
@router.post("/Sessions/Capabilities/Full")
async def capabilities() -> Response:
    return Response(status_code=204)


@router.get("/Sessions")
async def sessions() -> list[Any]:
    return []


@router.get("/DisplayPreferences/{name}")
async def display_preferences(name: str) -> dict[str, Any]:
    return {"Id": name[:100], "SortBy": "SortName", "SortOrder": "Ascending",
            "RememberIndexing": False, "RememberSorting": False, "CustomPrefs": {},
            "Client": "emby", "ScrollDirection": "Horizontal", "ShowBackdrop": True,
            "ShowSidebar": False, "PrimaryImageHeight": 250, "PrimaryImageWidth": 250}  # fmt: skip


@router.post("/DisplayPreferences/{name}")
async def save_display_preferences(name: str) -> Response:
    return Response(status_code=204)


def empty_list() -> JSONResponse:
    return JSONResponse([])
