"""Authenticated encryption of stored secrets under a rotatable master key.

Values are Fernet tokens (AES-128-CBC + HMAC-SHA256) prefixed with the id of the key that
sealed them: `<key id>:<token>`, ASCII only, so they fit bytea and text columns alike. The key
id is derived from the key itself, so ids never need to be stored separately.

Keys come from `secret_keys` in the config (first one seals, the rest only open), or else from
a key file (`secret_key_file`, default `<data dir>/secret.key`, mode 0600) created on first
start. The file holds one key per line, newest first. `revenge keys rotate` puts a new key
first, re-seals every stored value, then drops the old keys; running nodes notice the changed
file (checked on every seal, and on any unknown key id) so rotation needs no restart.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import threading
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken


class SecretError(Exception):
    """A value cannot be opened: unknown key, or tampered/corrupt ciphertext."""


def key_id_of(key: bytes) -> str:
    """A short stable id for a key (never reveals the key)."""
    return hashlib.sha256(key).hexdigest()[:12]


def generate_key() -> bytes:
    return Fernet.generate_key()


def read_key_file(path: Path) -> list[bytes]:
    lines = path.read_text(encoding="ascii").splitlines()
    return [line.strip().encode() for line in lines if line.strip() and not line.startswith("#")]


def write_key_file(path: Path, keys: list[bytes]) -> None:
    """Write keys atomically with mode 0600 (the file is never world-readable, even briefly)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write("".join(k.decode() + "\n" for k in keys))
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def _stamp(path: Path) -> tuple[int, int]:
    # The file is replaced atomically on every change, so inode + mtime identify a version.
    info = path.stat()
    return info.st_ino, info.st_mtime_ns


class SecretBox:
    """Seal and open secrets; the first key seals, every key opens."""

    def __init__(self, keys: list[bytes], key_file: Path | None = None) -> None:
        self._key_file = key_file
        self._stamp: tuple[int, int] | None = None
        self._lock = threading.Lock()
        self._load(keys)

    @classmethod
    def from_config(cls, configured: list[str], key_file: Path) -> SecretBox:
        """Keys from config when given, else the key file (created on first use)."""
        if configured:
            return cls([k.encode() for k in configured])
        if not key_file.exists():
            write_key_file(key_file, [generate_key()])
        box = cls(read_key_file(key_file), key_file)
        box._stamp = _stamp(key_file)
        return box

    def _load(self, keys: list[bytes]) -> None:
        if not keys:
            raise SecretError("no master key configured")
        try:
            fernets = [(key_id_of(k), Fernet(k)) for k in keys]
        except ValueError as exc:
            raise SecretError(f"invalid master key: {exc}") from None
        self._primary_id, self._primary = fernets[0]
        self._primary_key = keys[0]
        self._by_id = dict(fernets)

    @property
    def key_id(self) -> str:
        """Id of the key new values are sealed with."""
        self.refresh()
        return self._primary_id

    @property
    def key_ids(self) -> list[str]:
        return list(self._by_id)

    @property
    def file_backed(self) -> bool:
        return self._key_file is not None

    def refresh(self) -> bool:
        """Reload the key file if it changed (rotation by another process); True if reloaded."""
        if self._key_file is None:
            return False
        try:
            stamp = _stamp(self._key_file)
        except OSError:
            return False
        if stamp == self._stamp:
            return False
        with self._lock:
            self._load(read_key_file(self._key_file))
            self._stamp = stamp
        return True

    def encrypt(self, plaintext: bytes) -> bytes:
        self.refresh()
        return self._primary_id.encode() + b":" + self._primary.encrypt(plaintext)

    def derive_key(self, purpose: str) -> bytes:
        """A 32-byte key for one purpose (e.g. signing stream tokens), the same on every node."""
        self.refresh()
        return hmac.new(self._primary_key, purpose.encode(), hashlib.sha256).digest()

    def decrypt(self, sealed: bytes) -> bytes:
        kid, sep, token = sealed.partition(b":")
        if not sep:
            raise SecretError("not a sealed value")
        fernet = self._by_id.get(kid.decode("ascii", "replace"))
        if fernet is None and self.refresh():
            fernet = self._by_id.get(kid.decode("ascii", "replace"))
        if fernet is None:
            raise SecretError(f"value sealed with unknown key {kid.decode('ascii', 'replace')}")
        try:
            return fernet.decrypt(token)
        except InvalidToken:
            raise SecretError("value is corrupt or was tampered with") from None

    def encrypt_text(self, plaintext: str) -> str:
        return self.encrypt(plaintext.encode()).decode("ascii")

    def decrypt_text(self, sealed: str | bytes) -> str:
        raw = sealed.encode("ascii") if isinstance(sealed, str) else sealed
        return self.decrypt(raw).decode()

    @staticmethod
    def key_id_of_value(sealed: bytes | str) -> str:
        raw = sealed.encode("ascii") if isinstance(sealed, str) else sealed
        return raw.partition(b":")[0].decode("ascii", "replace")

    def start_rotation(self) -> str:
        """Put a new key first in the key file (old keys still open values); its id."""
        if self._key_file is None:
            raise SecretError("keys come from the config; put the new key first there instead")
        with self._lock:
            keys = read_key_file(self._key_file)
            new = generate_key()
            write_key_file(self._key_file, [new, *keys])
        self.refresh()
        return key_id_of(new)

    def finish_rotation(self) -> list[str]:
        """Drop every key but the primary from the key file; ids dropped."""
        if self._key_file is None:
            return []
        with self._lock:
            keys = read_key_file(self._key_file)
            write_key_file(self._key_file, keys[:1])
        self.refresh()
        return [key_id_of(k) for k in keys[1:]]
