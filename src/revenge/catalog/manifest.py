"""The catalog feature as the composition root sees it."""

from __future__ import annotations

from revenge.catalog.audiobooks import models as catalog_audiobooks_models
from revenge.catalog.movies import models as catalog_movies_models
from revenge.catalog.music import models as catalog_music_models
from revenge.catalog.people import models as catalog_people_models
from revenge.catalog.podcasts import models as catalog_podcasts_models
from revenge.catalog.state import models as catalog_state_models
from revenge.catalog.tv import models as catalog_tv_models
from revenge.infra.manifest import Feature

FEATURE = Feature(
    name="catalog",
    models=(
        catalog_audiobooks_models,
        catalog_movies_models,
        catalog_music_models,
        catalog_people_models,
        catalog_podcasts_models,
        catalog_state_models,
        catalog_tv_models,
    ),
)
