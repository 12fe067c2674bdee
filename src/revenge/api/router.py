"""Router assembly: every feature's routes, behind the authentication guard."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from revenge.api.deps import require_principal
from revenge.images.routes import router as images_router
from revenge.infra.jobs.routes import router as jobs_router
from revenge.system.routes import router as system_router


def build_router() -> APIRouter:
    router = APIRouter(dependencies=[Depends(require_principal)])
    router.include_router(system_router)
    router.include_router(jobs_router, prefix="/api/v1/admin/jobs", tags=["jobs"])
    router.include_router(images_router, prefix="/api/v1/images", tags=["images"])
    return router
