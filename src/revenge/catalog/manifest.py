"""The catalog feature as the composition root sees it: the tables of every content kind
(from the kind registry) plus people and per-user item state."""

from __future__ import annotations

import importlib

from revenge.catalog.people import models as people_models
from revenge.catalog.registry import KINDS
from revenge.catalog.state import models as state_models
from revenge.infra.manifest import Feature

FEATURE = Feature(
    name="catalog",
    models=(
        *(importlib.import_module(name) for name in KINDS.model_modules()),
        people_models,
        state_models,
    ),
)
