"""The one place where every feature's job functions join the registry."""

from __future__ import annotations

import importlib

from revenge.images import jobs as images_jobs
from revenge.infra.jobs.registry import JobRegistry
from revenge.integrations import jobs as integrations_jobs
from revenge.libraries import jobs as libraries_jobs
from revenge.maintenance import jobs as maintenance_jobs
from revenge.metadata import jobs as metadata_jobs
from revenge.notifications import jobs as notifications_jobs
from revenge.search import jobs as search_jobs

FEATURE_JOB_MODULES = (
    maintenance_jobs,
    libraries_jobs,
    metadata_jobs,
    search_jobs,
    images_jobs,
    notifications_jobs,
    integrations_jobs,
)


def build_registry(extra_modules: list[str] | None = None) -> JobRegistry:
    """Every feature's jobs, plus plugin modules named in `jobs.extra_modules`."""
    registry = JobRegistry()
    for module in FEATURE_JOB_MODULES:
        module.register(registry)
    for name in extra_modules or []:
        importlib.import_module(name).register(registry)
    return registry
