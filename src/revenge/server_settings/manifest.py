"""The server settings feature as the composition root sees it."""

from __future__ import annotations

from revenge.infra.manifest import Feature
from revenge.server_settings import models

FEATURE = Feature(
    name="server_settings",
    models=(models,),
)
