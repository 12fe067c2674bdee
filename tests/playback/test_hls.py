"""HLS end to end over HTTP: decision, playlists, segments made on demand, seeking, limits."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import av
import httpx
import m3u8

from revenge.testing.seed import execute
from revenge.testing.video import make_video
from tests.playback.conftest import Library
from tests.playback.subtitle_media import SRT, make_subtitled_video


def _decode(data: bytes) -> tuple[str, int, int, int]:
    """Codec, width, height and frame count of one MPEG-TS segment."""
    with av.open(io.BytesIO(data), format="mpegts") as container:
        stream = container.streams.video[0]
        frames = list(container.decode(stream))
        return stream.codec_context.name, frames[0].width, frames[0].height, len(frames)


async def _decision(client: httpx.AsyncClient, lib: Library, item: object, **body: object) -> dict:
    r = await client.post(f"/api/v1/items/{item}/playback", json=body, headers=lib.headers)
    assert r.status_code == 200, r.text
    return r.json()


async def test_hevc_ac3_mkv_transcodes_for_chromium_and_every_segment_decodes(
    client: httpx.AsyncClient, library: Library
) -> None:
    path = make_video(library.root / "B.mkv", "libx265", "ac3", seconds=8, layout="5.1")
    item, _ = await library.add(path)
    decision = await _decision(client, library, item, profile="browser-chromium")
    chosen = decision["files"][0]
    assert chosen["method"] == "transcode"
    assert "video codec hevc not supported" in chosen["reasons"]
    assert "audio codec ac3 not supported" in chosen["reasons"]
    master = m3u8.loads((await client.get(chosen["url"])).text)
    assert master.is_variant and master.playlists
    base = chosen["url"].split("master.m3u8")[0]
    variant = master.playlists[0]
    media_text = (await client.get(base + variant.uri)).text
    media = m3u8.loads(media_text)
    assert media.is_endlist and media.playlist_type == "vod"
    assert abs(sum(s.duration for s in media.segments) - 8.0) < 1.0
    folder = base + variant.uri.split("/")[0] + "/"
    width, height = variant.stream_info.resolution
    for segment in media.segments:
        r = await client.get(folder + segment.uri)
        assert r.status_code == 200, r.text
        assert r.headers["content-type"] == "video/mp2t"
        assert _decode(r.content)[:3] == ("h264", width, height)


async def test_h264_aac_mp4_plays_directly_in_browsers_and_remuxes_for_generic_hls(
    client: httpx.AsyncClient, library: Library
) -> None:
    item, _ = await library.add(make_video(library.root / "A.mp4", seconds=6))
    direct = (await _decision(client, library, item, profile="browser-safari"))["files"][0]
    assert direct["method"] == "direct" and direct["url"].startswith("/api/v1/stream/")
    assert (await client.get(direct["url"], headers={"range": "bytes=0-3"})).status_code == 206
    caps = {"containers": [], "video_codecs": [{"codec": "h264"}], "audio_codecs": ["aac"],
            "hls": True}  # fmt: skip
    remux = (await _decision(client, library, item, capabilities=caps))["files"][0]
    assert remux["method"] == "remux" and remux["variants"][0]["video"] == "copy"
    assert remux["reasons"] == ["container mp4 not supported"]


async def test_a_seek_to_80_percent_makes_no_earlier_segment(
    client: httpx.AsyncClient, library: Library
) -> None:
    item, _ = await library.add(make_video(library.root / "Long.mp4", seconds=30))
    chosen = (await _decision(client, library, item, profile="hls-generic"))["files"][0]
    base = chosen["url"].split("master.m3u8")[0]
    master = m3u8.loads((await client.get(chosen["url"])).text)
    name = master.playlists[-1].uri.split("/")[0]
    media = m3u8.loads((await client.get(base + master.playlists[-1].uri)).text)
    at = int(len(media.segments) * 0.8)
    r = await client.get(f"{base}{name}/{media.segments[at].uri}")
    assert r.status_code == 200
    folder = library.runtime.settings.data_dir / "transcode" / chosen["playback_session_id"] / name
    made = sorted(int(p.stem) for p in folder.glob("*.ts"))
    assert made and min(made) == at


async def test_bad_input_answers_4xx(client: httpx.AsyncClient, library: Library) -> None:
    item, _ = await library.add(make_video(library.root / "C.mkv", "libx265", "ac3", seconds=4))
    chosen = (await _decision(client, library, item, profile="hls-generic"))["files"][0]
    base = chosen["url"].split("master.m3u8")[0]
    token = chosen["url"].split("?")[1]
    name = chosen["variants"][0]["name"]
    assert (await client.get(f"{base}{name}/0.ts?{token}")).status_code == 200
    assert (await client.get(f"{base}{name}/999.ts?{token}")).status_code == 400
    assert (await client.get(f"{base}{name}/-1.ts?{token}")).status_code == 400
    assert (await client.get(f"{base}{'x' * 3}/0.ts?{token}")).status_code == 400
    nothing = await client.post(
        f"/api/v1/items/{item}/playback", headers=library.headers,
        json={"capabilities": {"video_codecs": [{"codec": "vp9"}], "hls": False}},
    )  # fmt: skip
    assert nothing.status_code == 400 and "hevc" in nothing.json()["detail"]
    huge = await client.post(
        f"/api/v1/items/{item}/playback", headers=library.headers,
        json={"capabilities": {"max_bitrate": 10**12}},
    )  # fmt: skip
    assert huge.status_code == 400 and "max_bitrate" in huge.json()["detail"]
    unknown = await client.post(
        f"/api/v1/items/{chosen['file_id']}/playback",
        headers=library.headers,
        json={"profile": "direct"},
    )
    assert unknown.status_code == 404
    version = await client.post(
        f"/api/v1/items/{item}/playback", headers=library.headers,
        json={"profile": "direct", "file_id": str(uuid.uuid4())},
    )  # fmt: skip
    assert version.status_code == 404 and "version" in version.json()["detail"]


async def test_a_corrupt_file_answers_a_problem_and_is_recorded(
    client: httpx.AsyncClient, library: Library
) -> None:
    path = make_video(library.root / "Broken.mkv", "libx265", "ac3", seconds=8)
    item, file_id = await library.add(path)
    chosen = (await _decision(client, library, item, profile="hls-generic"))["files"][0]
    data = path.read_bytes()
    path.write_bytes(
        data[:2000] + bytes(len(data) - 2000)
    )  # the header survives, the rest is zeros
    base = chosen["url"].split("master.m3u8")[0]
    token = chosen["url"].split("?")[1]
    name = chosen["variants"][0]["name"]
    r = await client.get(f"{base}{name}/1.ts?{token}")
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    rows = await _failure(library, file_id)
    assert rows and rows[0]["playback_failure"]
    again = await client.get(f"{base}{name}/0.ts?{token}")
    assert again.status_code == 422  # the worker pool is still there to answer
    garbage = library.root / "Garbage.mkv"
    garbage.write_bytes(b"\x1aE\xdf\xa3" + bytes(5000))  # a Matroska magic and nothing else
    bad_item, _ = await library.add(garbage, probe=False)
    refused = await client.post(
        f"/api/v1/items/{bad_item}/playback", json={"profile": "hls-generic"},
        headers=library.headers,
    )  # fmt: skip
    assert refused.status_code == 400, refused.text
    assert "cannot be read" in refused.json()["detail"]


async def _failure(library: Library, file_id: object) -> list[dict]:
    from revenge.testing.seed import execute

    return await execute(
        library.runtime, "SELECT playback_failure FROM media_files WHERE id = :i", i=file_id
    )


async def test_h264_ac3_mkv_remuxes_for_chromium_with_the_audio_converted(
    client: httpx.AsyncClient, library: Library
) -> None:
    path = make_video(library.root / "R.mkv", "libx264", "ac3", seconds=8, layout="5.1")
    item, _ = await library.add(path)
    chosen = (await _decision(client, library, item, profile="browser-chromium"))["files"][0]
    assert chosen["method"] == "remux"
    assert chosen["reasons"] == ["container mkv not supported", "audio codec ac3 not supported"]
    assert chosen["audio"]["codec"] == "ac3" and chosen["audio"]["channels"] == 6
    base, token = chosen["url"].split("master.m3u8")[0], chosen["url"].split("?")[1]
    media = m3u8.loads((await client.get(f"{base}original/index.m3u8?{token}")).text)
    assert abs(sum(s.duration for s in media.segments) - 8.0) < 1.0
    for n in range(len(media.segments)):
        data = (await client.get(f"{base}original/{n}.ts?{token}")).content
        with av.open(io.BytesIO(data), format="mpegts") as container:
            video, audio = container.streams.video[0], container.streams.audio[0]
            assert (video.codec_context.name, video.codec_context.width) == ("h264", 160)
            assert (audio.codec_context.name, audio.codec_context.channels) == ("aac", 2)


async def test_hls_urls_refuse_another_file_and_die_with_the_session(
    client: httpx.AsyncClient, library: Library
) -> None:
    one, _ = await library.add(make_video(library.root / "One.mkv", "libx265", "aac", seconds=4))
    two, _ = await library.add(make_video(library.root / "Two.mkv", "libx265", "aac", seconds=4))
    first = (await _decision(client, library, one, profile="hls-generic"))["files"][0]
    second = (await _decision(client, library, two, profile="hls-generic"))["files"][0]
    token = first["url"].split("?")[1]
    assert (await client.get(first["url"])).status_code == 200
    crossed = second["url"].split("?")[0] + "?" + token
    assert (await client.get(crossed)).status_code == 401
    assert (await client.get(first["url"].split("?")[0])).status_code == 401
    out = await client.post("/api/v1/auth/logout", headers=library.headers)
    assert out.status_code == 204
    refused = await client.get(first["url"])
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"


async def test_subtitles_are_tracks_in_the_decision_and_renditions_in_the_master(
    client: httpx.AsyncClient, library: Library, tmp_path: Path
) -> None:
    video = make_subtitled_video(library.root / "Subbed" / "Subbed.mkv", tmp_path / "work")
    (video.parent / "Subbed.de.srt").write_text(SRT)
    item, _ = await library.add(video, probe=False)
    chosen = (await _decision(client, library, item, profile="hls-generic"))["files"][0]
    found = {(t["source"], t["language"], t["forced"]) for t in chosen["subtitle_tracks"]}
    assert {("embedded", "en", False), ("embedded", "fr", True), ("external", "de", False)} <= found
    assert chosen["subtitle"]["forced"] is True  # a forced track is shown unless asked otherwise
    vtt = await client.get(chosen["subtitle_tracks"][0]["url"])
    assert (vtt.status_code, vtt.text[:6]) == (200, "WEBVTT")
    master = m3u8.loads((await client.get(chosen["url"])).text)
    renditions = [m for m in master.media if m.type == "SUBTITLES"]
    assert {m.language for m in renditions} >= {"en", "fr", "de"}
    assert all(p.stream_info.subtitles == "subs" for p in master.playlists)
    base = chosen["url"].split("master.m3u8")[0]
    subs = m3u8.loads((await client.get(base + renditions[0].uri)).text)
    assert abs(subs.segments[0].duration - chosen["duration_seconds"]) < 0.01
    cue = await client.get(subs.segments[0].uri)
    assert cue.status_code == 200 and cue.headers["content-type"].startswith("text/vtt")
    german = next(t["id"] for t in chosen["subtitle_tracks"] if t["language"] == "de")
    asked = await _decision(client, library, item, profile="hls-generic", subtitle_track=german)
    assert asked["files"][0]["subtitle"]["language"] == "de"


async def test_the_decision_hands_out_signed_artwork_urls(
    client: httpx.AsyncClient, library: Library
) -> None:
    item, _ = await library.add(make_video(library.root / "Art.mp4", seconds=2))
    rows = await execute(
        library.runtime,
        "INSERT INTO images (content_hash, format, width, height, size_bytes)"
        " VALUES ('ab' || md5(random()::text), 'jpeg', 10, 10, 1) RETURNING id",
    )
    await execute(
        library.runtime,
        "INSERT INTO item_images (item_kind, item_id, kind, image_id)"
        " VALUES ('movie', :i, 'poster', :m)",
        i=item, m=rows[0]["id"],
    )  # fmt: skip
    decision = await _decision(client, library, item, profile="direct")
    (poster,) = decision["images"]
    assert poster["kind"] == "poster" and "token=" in poster["url"]
    info = await client.get(poster["url"].split("?")[0] + "/info", headers=library.headers)
    assert info.json()["width"] == 10
    # The token is accepted (the stored file itself is absent here: 404, not 401).
    assert (await client.get(poster["url"])).status_code == 404
    assert (await client.get(poster["url"].split("?")[0])).status_code == 401
