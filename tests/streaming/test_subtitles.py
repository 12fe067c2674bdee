"""Subtitle files beside a video: listed with language/forced flags and served."""

from __future__ import annotations

import httpx

from revenge.runtime import Runtime
from revenge.streaming.signing import file_scope, signer
from revenge.testing.auth import USER
from tests.streaming.conftest import AS_USER, Media

SRT = b"1\n00:00:01,000 --> 00:00:02,000\nHello\n"


async def test_sidecar_subtitles_listed_and_served(
    api: httpx.AsyncClient, clean_runtime: Runtime, media: Media
) -> None:
    folder = media.path.parent
    (folder / "Heat (1995).en.srt").write_bytes(SRT)
    (folder / "Heat (1995).fr.forced.ass").write_bytes(b"[Script Info]\n")
    (folder / "Heat (1995).vtt").write_bytes(b"WEBVTT\n")
    (folder / "Other movie.en.srt").write_bytes(SRT)
    (folder / "notes.txt").write_bytes(b"x")
    r = await api.get(f"/api/v1/stream/{media.file_id}/subtitles", headers=AS_USER)
    assert r.status_code == 200
    listed = {(s["name"], s["format"], s["language"], s["forced"]) for s in r.json()}
    assert listed == {
        ("Heat (1995).en.srt", "srt", "en", False),
        ("Heat (1995).fr.forced.ass", "ass", "fr", True),
        ("Heat (1995).vtt", "vtt", None, False),
    }
    english = next(s for s in r.json() if s["language"] == "en")
    body = await api.get(english["url"], headers=AS_USER)
    assert body.status_code == 200
    assert body.content == SRT
    assert body.headers["content-type"] == "application/x-subrip"
    token = signer(clean_runtime).issue(USER, file_scope(media.file_id))
    with_token = await api.get(english["url"], params={"token": token})
    assert with_token.content == SRT


async def test_subtitle_names_cannot_escape(
    api: httpx.AsyncClient, clean_runtime: Runtime, media: Media
) -> None:
    (media.root / "Heat (1995).en.srt").write_bytes(b"outside folder")
    base = f"/api/v1/stream/{media.file_id}/subtitles/"
    for name in ("..%2FHeat%20(1995).en.srt", "notes.txt", "Other movie.en.srt"):
        r = await api.get(base + name, headers=AS_USER)
        assert r.status_code == 404, name
