"""Secrets at rest: one master key file, Fernet encryption, and derived per-purpose keys.

The key file (`<data_dir>/secret.key` unless `secret_key_file` is set) holds one or more
Fernet keys, one a line, newest first: encryption uses the first, decryption tries them all
(MultiFernet), so a key can be rotated by prepending a new line. Every node of a cluster must
see the same file. The file is created 0600 when missing.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from revenge.config import Settings


class SecretError(Exception):
    """A ciphertext could not be decrypted with any known key."""


def key_file_path(settings: Settings) -> Path:
    return settings.secret_key_file or settings.data_dir / "secret.key"


def load_or_create_keys(path: Path) -> list[bytes]:
    """The keys in the file, creating it (0600) with one new key when it does not exist."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it first; read theirs
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(Fernet.generate_key() + b"\n")
    keys = [line.strip() for line in path.read_bytes().splitlines() if line.strip()]
    if not keys:
        raise SecretError(f"secret key file {path} is empty")
    return keys


class SecretBox:
    """Encrypts and decrypts small secrets (client secrets, provider API keys)."""

    def __init__(self, keys: list[bytes]) -> None:
        self._fernet = MultiFernet([Fernet(k) for k in keys])
        self._master = keys[0]

    @classmethod
    def from_settings(cls, settings: Settings) -> SecretBox:
        return cls(load_or_create_keys(key_file_path(settings)))

    def encrypt(self, plaintext: bytes) -> bytes:
        return self._fernet.encrypt(plaintext)

    def decrypt(self, ciphertext: bytes) -> bytes:
        try:
            return self._fernet.decrypt(ciphertext)
        except InvalidToken:
            raise SecretError("ciphertext does not match any known key") from None

    def derive_key(self, purpose: str) -> bytes:
        """A 32-byte key for one purpose (e.g. signing stream tokens), stable across nodes."""
        return hmac.new(self._master, purpose.encode(), hashlib.sha256).digest()
