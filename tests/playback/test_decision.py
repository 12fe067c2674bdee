"""The decision per named profile and per capability, over real probed files."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from revenge.libraries.probe import probe_file
from revenge.playback.decision import FileFacts, StreamFacts, decide
from revenge.playback.profiles import PROFILES, Capabilities
from revenge.testing.seed import add_file, add_track, execute
from revenge.testing.video import make_video
from tests.playback.audio_media import make_noise
from tests.playback.conftest import Library

_FIELDS = StreamFacts.__slots__


def facts(path: Path) -> FileFacts:
    probed = probe_file(str(path))
    streams = [StreamFacts(**{k: s.get(k) for k in _FIELDS if k in s}) for s in probed["streams"]]
    return FileFacts(probed["container"], probed["duration"], probed["bit_rate"], streams)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, FileFacts]:
    root = tmp_path_factory.mktemp("decision")
    return {
        "h264-aac.mp4": facts(make_video(root / "a.mp4", seconds=1)),
        "hevc-ac3.mkv": facts(
            make_video(root / "b.mkv", "libx265", "ac3", seconds=1, layout="5.1")
        ),
        "hevc10-aac.mkv": facts(
            make_video(root / "c.mkv", "libx265", "aac", seconds=1, pix_fmt="yuv420p10le")
        ),
        "vfr.mp4": facts(make_video(root / "d.mp4", seconds=1, vfr=True)),
    }


EXPECTED = {
    # file: chromium, firefox, safari, hls-generic, direct
    "h264-aac.mp4": ("direct", "direct", "direct", "remux", "direct"),
    "hevc-ac3.mkv": ("transcode", "transcode", "remux", "transcode", "direct"),
    "hevc10-aac.mkv": ("transcode", "transcode", "remux", "transcode", "direct"),
    "vfr.mp4": ("direct", "direct", "direct", "remux", "direct"),
}
NAMES = ("browser-chromium", "browser-firefox", "browser-safari", "hls-generic", "direct")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_profile_gets_the_expected_method(name: str, files: dict[str, FileFacts]) -> None:
    got = tuple(
        decide(files[name], PROFILES[p], audio_index=None, can_transcode=True).method for p in NAMES
    )
    assert got == EXPECTED[name]


def test_reasons_name_what_does_not_fit(files: dict[str, FileFacts]) -> None:
    chromium = decide(files["hevc10-aac.mkv"], PROFILES["browser-chromium"], audio_index=None,
                      can_transcode=True)  # fmt: skip
    assert chromium.reasons == ["container mkv not supported", "video codec hevc not supported"]
    assert [v.video for v in chromium.variants] == ["h264"]
    safari = decide(files["hevc-ac3.mkv"], PROFILES["browser-safari"], audio_index=None,
                    can_transcode=True)  # fmt: skip
    assert safari.reasons == ["container mkv not supported"]
    assert (safari.variants[0].video, safari.variants[0].audio) == ("copy", "aac")


def test_bitrate_and_size_limits_transcode_within_them(files: dict[str, FileFacts]) -> None:
    caps = Capabilities(
        containers=["mp4"], video_codecs=PROFILES["hls-generic"].video_codecs,
        audio_codecs=["aac"], max_bitrate=64_000, max_height=100, hls=True,
    )  # fmt: skip
    decision = decide(files["h264-aac.mp4"], caps, audio_index=None, can_transcode=True)
    assert decision.method == "transcode"
    assert any(r.startswith("bitrate ") and r.endswith("> max 0.064") for r in decision.reasons)
    assert "resolution 160x120 > max height 100" in decision.reasons
    assert all(v.height <= 100 and v.video_bitrate <= 64_000 for v in decision.variants)


def test_nothing_playable_without_hls_or_transcoding(files: dict[str, FileFacts]) -> None:
    no_hls = Capabilities(containers=["mp4"], video_codecs=[], audio_codecs=["aac"])
    decision = decide(files["hevc-ac3.mkv"], no_hls, audio_index=None, can_transcode=True)
    assert decision.method == "none" and "the client does not play HLS" in decision.reasons
    off = decide(files["hevc-ac3.mkv"], PROFILES["browser-chromium"], audio_index=None,
                 can_transcode=False)  # fmt: skip
    assert off.method == "none" and "transcoding is turned off" in off.reasons


async def test_a_track_plays_as_it_is_or_converted_for_the_client(
    client: httpx.AsyncClient, library: Library, tmp_path: Path
) -> None:
    path = make_noise(library.root / "Song.flac", 2.0)
    track_id = await add_track(library.runtime, library.library_id, "Song")
    file_id = await add_file(library.runtime, library.library_id, path, kind="audio",
                             item=("track", track_id))  # fmt: skip
    await execute(library.runtime, "UPDATE media_files SET container = 'flac', analysis = 'ok'")

    async def play(**body: object) -> dict[str, object]:
        r = await client.post(f"/api/v1/items/{track_id}/playback", json=body,
                              headers=library.headers)  # fmt: skip
        assert r.status_code == 200, r.text
        found: dict[str, object] = r.json()["files"][0]
        return found

    safari = await play(profile="browser-safari")
    assert safari["method"] == "direct" and str(safari["url"]).startswith(
        f"/api/v1/stream/{file_id}/audio?token="
    )
    got = await client.get(str(safari["url"]))
    assert got.status_code == 200, got.text
    phone = await play(capabilities={"audio_codecs": ["aac", "mp3"], "max_bitrate": 128_000})
    assert phone["method"] == "transcode"
    assert phone["reasons"] == ["audio codec flac not supported"]
    assert "format=aac" in str(phone["url"]) and "max_bitrate=128" in str(phone["url"])
    converted = await client.get(str(phone["url"]))
    assert converted.status_code == 200 and converted.headers["content-type"] == "audio/aac"
