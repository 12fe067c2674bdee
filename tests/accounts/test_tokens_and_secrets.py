"""Stream tokens: the only credential accepted in a query string."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest

from revenge.infra.secrets import SecretBox
from revenge.sessions.stream_tokens import StreamTokens


def test_stream_token_is_for_one_file_one_user_and_a_short_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tokens = StreamTokens(SecretBox.from_config([], tmp_path / "secret.key"))
    user = uuid.uuid4()
    token, _ = tokens.issue(user, "file-1", ttl=60)
    assert tokens.verify(token, "file-1") == user
    assert tokens.verify(token, "file-2") is None
    assert (
        tokens.verify(token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1], "file-1") is None
    )
    assert tokens.verify("rvt_garbage", "file-1") is None
    other_server = StreamTokens(SecretBox.from_config([], tmp_path / "other.key"))
    assert other_server.verify(token, "file-1") is None
    real = time.time
    monkeypatch.setattr("revenge.sessions.stream_tokens.time.time", lambda: real() + 61)
    assert tokens.verify(token, "file-1") is None
