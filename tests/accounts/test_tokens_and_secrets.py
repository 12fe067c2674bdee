"""Signed media tokens: the only credential accepted in a query string."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest

from revenge.identity import Principal
from revenge.infra.secrets import SecretBox
from revenge.streaming.signing import MediaSigner


def test_media_token_is_for_one_scope_one_user_one_session_and_a_short_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    box = SecretBox.from_config([], tmp_path / "secret.key")
    tokens = MediaSigner(box.derive_key("media-url-v1"))
    user = Principal(uuid.uuid4(), "u", "user", session_id=uuid.uuid4())
    token = tokens.issue(user, "file:1", ttl=60)
    grant = tokens.verify(token, "file:1")
    assert grant is not None
    assert (grant.user_id, grant.bound_kind, grant.bound_id) == (user.user_id, "s", user.session_id)
    assert tokens.verify(token, "file:2") is None
    assert (
        tokens.verify(token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1], "file:1") is None
    )
    assert tokens.verify("rvm_garbage", "file:1") is None
    other_box = SecretBox.from_config([], tmp_path / "other.key")
    other_server = MediaSigner(other_box.derive_key("media-url-v1"))
    assert other_server.verify(token, "file:1") is None
    real = time.time
    monkeypatch.setattr("revenge.streaming.signing.time.time", lambda: real() + 61)
    assert tokens.verify(token, "file:1") is None
