"""Router assembly: every feature's routes, behind the authentication guard."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from revenge.activity.audit import audit_changes
from revenge.activity.routes import router as activity_router
from revenge.api.deps import require_principal
from revenge.apikeys.credentials_routes import router as credentials_router
from revenge.infra.jobs.routes import router as jobs_router
from revenge.notifications.routes import router as notifications_router
from revenge.server_settings.guard import maintenance_guard
from revenge.server_settings.routes import router as settings_router
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
    router.include_router(system_router)
    router.include_router(jobs_router, prefix="/api/v1/admin/jobs", tags=["jobs"])
    router.include_router(settings_router)
    router.include_router(activity_router)
    router.include_router(credentials_router)
    router.include_router(notifications_router)
    return router
