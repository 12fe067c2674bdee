"""Stored files (artwork, backups, HLS transcode segments) behind one interface.

Two backends, chosen by `[storage]` settings: a local folder (the default: the data
directory, so files sit where they always did) and S3-compatible object storage, which lets
every node of a scaled-out install read what any other node stored.
"""

from __future__ import annotations

from pathlib import Path

from revenge.config import StorageSettings
from revenge.infra.storage.base import Storage, StoredObject, check_key
from revenge.infra.storage.local import LocalStorage
from revenge.infra.storage.s3 import ObjectStorage

__all__ = ["LocalStorage", "ObjectStorage", "Storage", "StoredObject", "check_key", "open_storage"]


def open_storage(settings: StorageSettings, data_dir: Path) -> Storage:
    """The backend the settings name."""
    if settings.backend == "s3":
        return ObjectStorage.from_settings(settings)
    return LocalStorage(settings.path or data_dir)
