"""Router-wide guards that are not about credentials (those are in api.deps)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from revenge.api.deps import RuntimeDep, optional_principal
from revenge.identity import Principal
from revenge.server_settings.guard import refuse_in_maintenance


async def maintenance_guard(
    request: Request,
    runtime: RuntimeDep,
    principal: Annotated[Principal | None, Depends(optional_principal)],
) -> None:
    """503 for non-admin requests while maintenance mode is on (server_settings.guard)."""
    template: str = getattr(request.scope.get("route"), "path", request.url.path)
    await refuse_in_maintenance(runtime, principal, template)
