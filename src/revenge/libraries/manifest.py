"""The libraries feature as the composition root sees it (its jobs run in `scanning`)."""

from __future__ import annotations

from revenge.infra.manifest import Feature
from revenge.libraries import models

FEATURE = Feature(name="libraries", models=(models,))
