"""Stream tokens (the only query-string credential) and the secret box."""

from __future__ import annotations

import stat
import time
import uuid
from pathlib import Path

import pytest

from revenge.infra.secrets import SecretBox, SecretError, load_or_create_keys
from revenge.sessions.stream_tokens import StreamTokens


def test_stream_token_is_for_one_file_one_user_and_a_short_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tokens = StreamTokens(SecretBox(load_or_create_keys(tmp_path / "secret.key")))
    user = uuid.uuid4()
    token = tokens.issue(user, "file-1", ttl=60)
    assert tokens.verify(token, "file-1") == user
    assert tokens.verify(token, "file-2") is None
    assert (
        tokens.verify(token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1], "file-1") is None
    )
    assert tokens.verify("rvt_garbage", "file-1") is None
    other_server = StreamTokens(SecretBox(load_or_create_keys(tmp_path / "other.key")))
    assert other_server.verify(token, "file-1") is None
    real = time.time
    monkeypatch.setattr("revenge.sessions.stream_tokens.time.time", lambda: real() + 61)
    assert tokens.verify(token, "file-1") is None


def test_secret_box_key_file_is_private_and_rotatable(tmp_path: Path) -> None:
    path = tmp_path / "secret.key"
    box = SecretBox(load_or_create_keys(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    sealed = box.encrypt(b"client secret")
    assert b"client secret" not in sealed
    assert SecretBox(load_or_create_keys(path)).decrypt(sealed) == b"client secret"
    # Rotation: a new key goes first; old ciphertexts still open.
    from cryptography.fernet import Fernet

    path.write_bytes(Fernet.generate_key() + b"\n" + path.read_bytes())
    rotated = SecretBox(load_or_create_keys(path))
    assert rotated.decrypt(sealed) == b"client secret"
    with pytest.raises(SecretError):
        SecretBox(load_or_create_keys(tmp_path / "unrelated.key")).decrypt(sealed)
