"""A real S3-compatible server for the tests: moto in server mode on a free loopback port."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
from moto.server import ThreadedMotoServer

from revenge.config import StorageSettings
from tests.support.services import free_port

ACCESS_KEY = "revenge-test"
SECRET_KEY = "revenge-test-secret"


@dataclass(frozen=True)
class S3Server:
    endpoint: str
    bucket: str

    def settings(self, prefix: str = "") -> StorageSettings:
        return StorageSettings.model_validate(
            {
                "backend": "s3",
                "s3_bucket": self.bucket,
                "s3_endpoint": self.endpoint,
                "s3_access_key_id": ACCESS_KEY,
                "s3_secret_access_key": SECRET_KEY,
                "s3_allow_http": True,
                "s3_prefix": prefix,
            }
        )

    def env(self) -> dict[str, str]:
        """The same settings as REVENGE_STORAGE__* variables, for revenge processes."""
        return {
            "REVENGE_STORAGE__BACKEND": "s3",
            "REVENGE_STORAGE__S3_BUCKET": self.bucket,
            "REVENGE_STORAGE__S3_ENDPOINT": self.endpoint,
            "REVENGE_STORAGE__S3_ACCESS_KEY_ID": ACCESS_KEY,
            "REVENGE_STORAGE__S3_SECRET_ACCESS_KEY": SECRET_KEY,
            "REVENGE_STORAGE__S3_ALLOW_HTTP": "true",
        }

    def object_keys(self) -> list[str]:
        """Every key in the bucket, read over the S3 API (ListObjectsV2)."""
        resp = httpx.get(f"{self.endpoint}/{self.bucket}", params={"list-type": "2"})
        resp.raise_for_status()
        return sorted(part.split("</Key>", 1)[0] for part in resp.text.split("<Key>")[1:])


@contextmanager
def s3_server() -> Iterator[S3Server]:
    """moto's S3 API on 127.0.0.1 with one empty bucket; stopped when the block ends."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        endpoint = f"http://127.0.0.1:{port}"
        bucket = f"revenge-{uuid.uuid4().hex[:12]}"
        httpx.put(f"{endpoint}/{bucket}").raise_for_status()
        yield S3Server(endpoint, bucket)
    finally:
        server.stop()
