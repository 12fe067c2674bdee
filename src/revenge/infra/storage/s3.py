"""The S3-compatible backend (AWS S3, MinIO, Ceph, Garage, ...), through obstore.

Credentials come from the settings only: the store never looks for instance metadata or
environment credentials, so what a node uses is what its configuration says.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import obstore
from obstore.exceptions import NotFoundError
from obstore.store import S3Store

from revenge.config import StorageSettings
from revenge.infra.storage.base import StoredObject, check_key

if TYPE_CHECKING:
    from obstore import ObjectMeta

# obstore raises the built-in FileNotFoundError for a missing object (NotFoundError in some
# versions).
_MISSING = (FileNotFoundError, NotFoundError)


def _object(key: str, meta: ObjectMeta) -> StoredObject:
    return StoredObject(key, int(meta["size"]), meta["last_modified"])


class ObjectStorage:
    """Objects in one bucket, under an optional key prefix."""

    def __init__(self, store: S3Store, where: str) -> None:
        self._store = store
        self._where = where

    @classmethod
    def from_settings(cls, settings: StorageSettings) -> ObjectStorage:
        assert settings.s3_bucket is not None  # checked by StorageSettings
        secret = settings.s3_secret_access_key
        store = S3Store(
            settings.s3_bucket,
            prefix=settings.s3_prefix.strip("/") or None,
            config={
                "region": settings.s3_region,
                **({"endpoint": settings.s3_endpoint} if settings.s3_endpoint else {}),
                **(
                    {"access_key_id": settings.s3_access_key_id}
                    if settings.s3_access_key_id
                    else {}
                ),
                **({"secret_access_key": secret.get_secret_value()} if secret else {}),
                # Path-style URLs work with every S3-compatible server; AWS accepts them too.
                "virtual_hosted_style_request": False,
            },
            client_options={"allow_http": settings.s3_allow_http},
        )
        endpoint = settings.s3_endpoint or "AWS"
        return cls(store, f"bucket {settings.s3_bucket} at {endpoint}")

    def local_path(self, key: str) -> Path | None:
        return None

    def describe(self) -> str:
        return self._where

    async def put(self, key: str, data: bytes, content_type: str | None = None) -> None:
        attributes = {"Content-Type": content_type} if content_type else None
        await obstore.put_async(self._store, check_key(key), data, attributes=attributes)

    async def put_file(self, key: str, source: Path) -> None:
        await obstore.put_async(self._store, check_key(key), source, use_multipart=True)

    async def get(self, key: str) -> bytes | None:
        try:
            result = await obstore.get_async(self._store, check_key(key))
            return bytes(await result.bytes_async())
        except _MISSING:
            return None

    async def get_range(self, key: str, start: int, end: int) -> bytes:
        return bytes(
            await obstore.get_range_async(self._store, check_key(key), start=start, end=end)
        )

    async def download(self, key: str, target: Path) -> bool:
        try:
            result = await obstore.get_async(self._store, check_key(key))
        except _MISSING:
            return False
        partial = target.with_name(target.name + ".partial")
        with partial.open("wb") as handle:
            async for chunk in result.stream():
                handle.write(bytes(chunk))
        partial.replace(target)
        return True

    async def stat(self, key: str) -> StoredObject | None:
        try:
            return _object(key, await obstore.head_async(self._store, check_key(key)))
        except _MISSING:
            return None

    async def list_prefix(self, prefix: str) -> list[StoredObject]:
        # The store lists whole folders: list the prefix's folder, keep what starts with it.
        folder = prefix.rpartition("/")[0]
        found: list[StoredObject] = []
        async for batch in obstore.list(self._store, folder or None):
            found.extend(_object(m["path"], m) for m in batch if m["path"].startswith(prefix))
        return sorted(found, key=lambda item: item.key)

    async def delete(self, *keys: str) -> None:
        if keys:
            await obstore.delete_async(self._store, [check_key(k) for k in keys])
