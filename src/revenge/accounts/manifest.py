"""The accounts feature as the composition root sees it."""

from __future__ import annotations

from revenge.accounts import models
from revenge.infra.manifest import Feature

FEATURE = Feature(
    name="accounts",
    models=(models,),
)
