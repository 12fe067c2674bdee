"""The catalog feature as the composition root sees it: every content module's tables (from
the kind registry), people and user state."""

from __future__ import annotations

from revenge.catalog.people import models as catalog_people_models
from revenge.catalog.registry import KINDS
from revenge.catalog.state import models as catalog_state_models
from revenge.infra.manifest import Feature

FEATURE = Feature(
    name="catalog",
    models=(*KINDS.model_modules(), catalog_people_models, catalog_state_models),
)
