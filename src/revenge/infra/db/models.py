"""Imports every feature's tables so the metadata (and Alembic) sees the whole schema."""

from revenge.accounts import models as accounts_models
from revenge.activity import models as activity_models
from revenge.apikeys import models as apikeys_models
from revenge.collections import models as collections_models
from revenge.infra.db.base import Base
from revenge.libraries import models as libraries_models
from revenge.notifications import models as notifications_models
from revenge.playlists import models as playlists_models
from revenge.server_settings import models as server_settings_models
from revenge.sessions import models as sessions_models

__all__ = [
    "Base",
    "accounts_models",
    "activity_models",
    "apikeys_models",
    "collections_models",
    "libraries_models",
    "notifications_models",
    "playlists_models",
    "server_settings_models",
    "sessions_models",
]
