"""Subtitles are served with `nosniff`, and a subtitle symlinked out of the library is not."""

from __future__ import annotations

import os
from pathlib import Path

import httpx

from revenge.runtime import Runtime
from tests.streaming.conftest import AS_USER, Media

SRT = b"1\n00:00:01,000 --> 00:00:02,000\n<script>alert(1)</script>\n"


async def test_subtitles_are_never_sniffed_and_stay_inside_the_library(
    api: httpx.AsyncClient, clean_runtime: Runtime, media: Media, tmp_path: Path
) -> None:
    folder = media.path.parent
    (folder / "Heat (1995).en.srt").write_bytes(SRT)
    secret = tmp_path / "elsewhere.srt"
    secret.write_bytes(b"1\n00:00:01,000 --> 00:00:02,000\nprivate\n")
    os.symlink(secret, folder / "Heat (1995).de.srt")
    base = f"/api/v1/stream/{media.file_id}/subtitles/"
    served = await api.get(base + "Heat%20(1995).en.srt", headers=AS_USER)
    assert served.status_code == 200 and served.content == SRT
    assert served.headers["x-content-type-options"] == "nosniff"
    escaped = await api.get(base + "Heat%20(1995).de.srt", headers=AS_USER)
    assert escaped.status_code == 404 and b"private" not in escaped.content
