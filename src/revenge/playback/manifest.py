"""The playback feature as the composition root sees it."""

from __future__ import annotations

from revenge.infra.manifest import Feature
from revenge.playback import models, subtitle_models

FEATURE = Feature(
    name="playback",
    models=(models, subtitle_models),
)
