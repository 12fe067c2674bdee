"""Router assembly: every feature's routes, behind the authentication guard."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from revenge.accounts.auth_routes import router as auth_router
from revenge.accounts.oidc_routes import router as oidc_router
from revenge.accounts.routes import router as users_router
from revenge.api.deps import require_principal
from revenge.apikeys.access_keys_routes import router as access_keys_router
from revenge.infra.jobs.routes import router as jobs_router
from revenge.sessions.routes import router as sessions_router
from revenge.system.routes import router as system_router


def build_router() -> APIRouter:
    router = APIRouter(dependencies=[Depends(require_principal)])
    router.include_router(system_router)
    router.include_router(auth_router)
    router.include_router(oidc_router)
    router.include_router(users_router)
    router.include_router(sessions_router)
    router.include_router(access_keys_router)
    router.include_router(jobs_router, prefix="/api/v1/admin/jobs", tags=["jobs"])
    return router
