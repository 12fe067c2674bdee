"""Maintenance mode: while `maintenance.mode` is on, only administrators get through.

Health probes, metrics, public server info and the sign-in routes stay reachable so that
load balancers keep working and an administrator can still sign in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import Request

from revenge.api.deps import app_runtime, optional_principal, route_template
from revenge.errors import ServiceUnavailable
from revenge.identity import Principal
from revenge.server_settings.service import UNKNOWN

if TYPE_CHECKING:
    from revenge.runtime import Runtime

EXEMPT_ROUTES = {
    "/health/live",
    "/health/ready",
    "/metrics",
    "/api/v1/system/info",
    "/api/v1/settings/public",
    "/openapi.json",
    "/docs",
}
EXEMPT_PREFIXES = ("/api/v1/auth/",)


class MaintenanceMode(ServiceUnavailable):
    slug = "maintenance"

    def __init__(self) -> None:
        super().__init__(
            "The server is in maintenance mode; only administrators can use it right now.",
            retry_after=60,
            maintenance=True,
        )


async def refuse_in_maintenance(
    runtime: Runtime, principal: Principal | None, template: str
) -> None:
    """Raise MaintenanceMode for a non-admin caller of a non-exempt route while it is on."""
    if principal is not None and principal.is_admin:
        return
    if template in EXEMPT_ROUTES or template.startswith(EXEMPT_PREFIXES):
        return
    if await runtime.server_settings.get("maintenance.mode"):
        raise MaintenanceMode()


def refused_in_maintenance_now(runtime: Runtime, template: str) -> bool | None:
    """`refuse_in_maintenance` for a caller without a principal, answered without waiting:
    whether it would refuse, or None where it would have to wait to know."""
    if template in EXEMPT_ROUTES or template.startswith(EXEMPT_PREFIXES):
        return False
    mode = runtime.server_settings.get_now("maintenance.mode")
    return None if mode is UNKNOWN else bool(mode)


async def maintenance_guard(request: Request) -> None:
    """The router-wide dependency: 503 for non-admin requests while maintenance mode is on."""
    principal = await optional_principal(request)  # authenticated once, by require_principal
    await refuse_in_maintenance(app_runtime(request), principal, route_template(request))
