"""Imports every feature's tables so the metadata (and Alembic) sees the whole schema."""

from revenge.access_keys import models as access_keys_models
from revenge.accounts import models as accounts_models
from revenge.activity import models as activity_models
from revenge.catalog.audiobooks import models as audiobooks_models
from revenge.catalog.movies import models as movies_models
from revenge.catalog.music import models as music_models
from revenge.catalog.people import models as people_models
from revenge.catalog.podcasts import models as podcasts_models
from revenge.catalog.state import models as item_state_models
from revenge.catalog.tv import models as tv_models
from revenge.collections import models as collections_models
from revenge.events import models as events_models
from revenge.images import models as images_models
from revenge.infra.db.base import Base
from revenge.integrations import models as integrations_models
from revenge.libraries import models as libraries_models
from revenge.metadata.provider_credentials import models as provider_credentials_models
from revenge.notifications import models as notifications_models
from revenge.playback import models as playback_models
from revenge.playback import subtitle_models
from revenge.playlists import models as playlists_models
from revenge.search import models as search_models
from revenge.server_settings import models as server_settings_models
from revenge.sessions import models as sessions_models

__all__ = [
    "Base",
    "access_keys_models",
    "accounts_models",
    "activity_models",
    "audiobooks_models",
    "collections_models",
    "events_models",
    "images_models",
    "integrations_models",
    "item_state_models",
    "libraries_models",
    "movies_models",
    "music_models",
    "notifications_models",
    "people_models",
    "playback_models",
    "playlists_models",
    "podcasts_models",
    "provider_credentials_models",
    "search_models",
    "server_settings_models",
    "sessions_models",
    "subtitle_models",
    "tv_models",
]
