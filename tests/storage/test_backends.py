"""The storage interface, the same checks on both backends: a folder and a real S3 API."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from revenge.config import ConfigError, StorageSettings, load_settings
from revenge.infra.storage import LocalStorage, ObjectStorage, Storage, open_storage
from revenge.infra.storage.base import InvalidKey
from tests.support.object_storage import S3Server, s3_server


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    with s3_server() as server:
        yield server


@pytest.fixture(params=["local", "s3"])
async def storage(
    request: pytest.FixtureRequest, tmp_path: Path, s3: S3Server
) -> AsyncIterator[Storage]:
    if request.param == "local":
        yield LocalStorage(tmp_path / "data")
    else:
        # A prefix of its own per test: the bucket is shared by the module.
        yield open_storage(s3.settings(prefix=f"t/{tmp_path.name}"), tmp_path / "unused")


async def test_written_objects_read_back_whole_and_in_ranges(storage: Storage) -> None:
    data = bytes(range(256)) * 40
    await storage.put("images/originals/ab/abc.jpg", data, "image/jpeg")
    assert await storage.get("images/originals/ab/abc.jpg") == data
    found = await storage.stat("images/originals/ab/abc.jpg")
    assert found is not None and found.size == len(data)
    assert await storage.get_range("images/originals/ab/abc.jpg", 10, 20) == data[10:20]
    await storage.put("images/originals/ab/abc.jpg", b"replaced")
    assert await storage.get("images/originals/ab/abc.jpg") == b"replaced"


async def test_missing_objects_are_none_and_deleting_them_is_no_error(storage: Storage) -> None:
    assert await storage.get("images/none.jpg") is None
    assert await storage.stat("images/none.jpg") is None
    await storage.delete("images/none.jpg")
    assert await storage.list_prefix("images/") == []


async def test_listing_by_prefix_and_deleting(storage: Storage) -> None:
    for name in ("v/ab/abc_64x0.webp", "v/ab/abc_128x0.webp", "v/ab/abd_64x0.webp", "o/x.jpg"):
        await storage.put(name, name.encode())
    keys = [o.key for o in await storage.list_prefix("v/ab/abc_")]
    assert keys == ["v/ab/abc_128x0.webp", "v/ab/abc_64x0.webp"]
    assert len(await storage.list_prefix("v/")) == 3
    await storage.delete(*keys)
    assert [o.key for o in await storage.list_prefix("v/")] == ["v/ab/abd_64x0.webp"]


async def test_large_files_go_in_and_come_out_streamed(storage: Storage, tmp_path: Path) -> None:
    source = tmp_path / "backup.tar.gz"
    source.write_bytes(b"\x1f\x8b" + bytes(range(256)) * 40_000)  # 10 MB: a multipart upload
    await storage.put_file("backups/revenge-1.tar.gz", source)
    target = tmp_path / "copy.tar.gz"
    assert await storage.download("backups/revenge-1.tar.gz", target)
    assert target.read_bytes() == source.read_bytes()
    assert not await storage.download("backups/none.tar.gz", tmp_path / "none")


@pytest.mark.parametrize("key", ["", "/etc/passwd", "../secret.key", "images//x", "a/./b", "a\\b"])
async def test_keys_that_could_leave_the_store_are_refused(storage: Storage, key: str) -> None:
    with pytest.raises(InvalidKey):
        await storage.put(key, b"x")


def test_settings_choose_the_backend(tmp_path: Path, s3: S3Server) -> None:
    assert isinstance(open_storage(StorageSettings(), tmp_path), LocalStorage)
    assert open_storage(StorageSettings(), tmp_path).local_path("a/b") == tmp_path / "a/b"
    assert isinstance(open_storage(s3.settings(), tmp_path), ObjectStorage)
    with pytest.raises(ValueError, match="s3_bucket"):
        StorageSettings(backend="s3")


def test_storage_settings_from_the_file_and_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVENGE_DATA_DIR", str(tmp_path))
    assert load_settings().storage.backend == "local"
    (tmp_path / "revenge.toml").write_text(
        '[storage]\nbackend = "s3"\ns3_bucket = "art"\ns3_endpoint = "https://minio.lan:9000"\n'
    )
    monkeypatch.setenv("REVENGE_STORAGE__S3_BUCKET", "posters")
    monkeypatch.setenv("REVENGE_STORAGE__S3_SECRET_ACCESS_KEY", "hidden")
    settings = load_settings().storage
    assert (settings.backend, settings.s3_bucket) == ("s3", "posters")
    assert settings.s3_endpoint == "https://minio.lan:9000"
    assert "hidden" not in repr(settings)
    (tmp_path / "revenge.toml").write_text('[storage]\nbackend = "s3"\n')
    monkeypatch.delenv("REVENGE_STORAGE__S3_BUCKET")
    with pytest.raises(ConfigError, match="s3_bucket"):
        load_settings()
