"""Playback sessions: limits, per-user cap, idle reaping, admin stop, 10-bit and VFR files."""

from __future__ import annotations

import io

import av
import httpx
import m3u8

from revenge.playback.node import playback_node
from revenge.testing.video import make_video
from tests.playback.conftest import Library


async def _play(
    client: httpx.AsyncClient, lib: Library, item: object, **body: object
) -> httpx.Response:
    return await client.post(f"/api/v1/items/{item}/playback", json=body, headers=lib.headers)


async def test_max_concurrent_is_enforced_with_retry_after(
    client: httpx.AsyncClient, library: Library
) -> None:
    item, _ = await library.add(make_video(library.root / "A.mkv", "libx265", "aac", seconds=4))
    async with library.runtime.db.transaction() as session:
        await library.runtime.server_settings.set(session, "transcoding.max_concurrent", 1, None)
    first = await _play(client, library, item, profile="hls-generic")
    assert first.status_code == 200, first.text
    second = await _play(client, library, item, profile="hls-generic")
    assert second.status_code == 503
    assert int(second.headers["retry-after"]) > 0
    direct = await _play(client, library, item, profile="direct")
    assert direct.status_code == 200 and direct.json()["files"][0]["method"] == "direct"


async def test_one_user_keeps_a_few_sessions_and_silent_ones_are_reaped(
    client: httpx.AsyncClient, library: Library
) -> None:
    item, _ = await library.add(make_video(library.root / "B.mp4", "libx264", "aac", seconds=4))
    settings = library.runtime.settings.playback
    async with library.runtime.db.transaction() as session:
        await library.runtime.server_settings.set(session, "transcoding.max_concurrent", 5, None)
    opened = []
    for _ in range(50):
        r = await _play(client, library, item, profile="hls-generic")
        assert r.status_code == 200, r.text
        opened.append(r.json()["files"][0])
    admin_view = await _active(library)
    assert len(admin_view) == settings.sessions_per_user
    oldest = opened[0]["url"]
    assert (await client.get(oldest)).status_code == 410
    newest = opened[-1]
    base = newest["url"].split("master.m3u8")[0]
    name = newest["variants"][0]["name"]
    token = newest["url"].split("?")[1]
    assert (await client.get(f"{base}{name}/0.ts?{token}")).status_code == 200
    folder = library.runtime.settings.data_dir / "transcode" / newest["playback_session_id"]
    assert folder.exists()
    await _age(library, newest["playback_session_id"], settings.idle_seconds + 5)
    await playback_node(library.runtime).reap()
    assert not folder.exists()
    assert (await client.get(newest["url"])).status_code == 410


async def _active(library: Library) -> list[dict[str, object]]:
    async with library.runtime.db.transaction() as session:
        from revenge.playback import service

        return [dict(id=r[0].id) for r in await service.admin_sessions(session)]


async def _age(library: Library, session_id: str, seconds: float) -> None:
    from revenge.testing.seed import execute

    await execute(
        library.runtime,
        "UPDATE playback_sessions SET last_seen_at = now() - make_interval(secs => :s)"
        " WHERE id = :i",
        s=seconds, i=session_id,
    )  # fmt: skip


async def test_ten_bit_and_vfr_files_transcode_to_8_bit_h264_covering_their_length(
    client: httpx.AsyncClient, library: Library
) -> None:
    ten, _ = await library.add(
        make_video(library.root / "Ten.mkv", "libx265", "aac", seconds=6, pix_fmt="yuv420p10le")
    )
    vfr, _ = await library.add(make_video(library.root / "Vfr.mp4", seconds=6, vfr=True))
    async with library.runtime.db.transaction() as session:
        await library.runtime.server_settings.set(session, "transcoding.max_concurrent", 9, None)
    safari = (await _play(client, library, ten, profile="browser-safari")).json()["files"][0]
    assert safari["method"] == "direct" or "container mkv not supported" in safari["reasons"]
    caps = {"video_codecs": [{"codec": "hevc", "profiles": ["Main"]}], "audio_codecs": ["aac"],
            "hls": True}  # fmt: skip
    refused = (await _play(client, library, ten, capabilities=caps)).json()["files"][0]
    assert refused["method"] == "transcode"
    assert "video profile Main 10 not supported" in refused["reasons"]
    for item in (ten, vfr):
        chosen = (await _play(client, library, item, profile="hls-generic")).json()["files"][0]
        base = chosen["url"].split("master.m3u8")[0]
        token = chosen["url"].split("?")[1]
        name = chosen["variants"][0]["name"]
        media = m3u8.loads((await client.get(f"{base}{name}/index.m3u8?{token}")).text)
        assert abs(sum(s.duration for s in media.segments) - 6.0) < 1.0
        for n in range(len(media.segments)):
            data = (await client.get(f"{base}{name}/{n}.ts?{token}")).content
            with av.open(io.BytesIO(data), format="mpegts") as container:
                frame = next(container.decode(video=0))
                assert (container.streams.video[0].codec_context.name, frame.format.name) == (
                    "h264", "yuv420p"
                )  # fmt: skip


async def test_an_admin_sees_and_stops_a_playback(
    client: httpx.AsyncClient, library: Library
) -> None:
    item, _ = await library.add(make_video(library.root / "C.mp4", seconds=4))
    chosen = (await _play(client, library, item, profile="hls-generic")).json()["files"][0]
    from tests.accounts.conftest import bearer, login, make_user

    base, token = chosen["url"].split("master.m3u8")[0], chosen["url"].split("?")[1]
    name = chosen["variants"][0]["name"]
    assert (await client.get(f"{base}{name}/0.ts?{token}")).status_code == 200
    await playback_node(library.runtime).reap()  # the node reports production speeds
    await make_user(library.runtime, "boss", role="admin")
    admin = bearer((await login(client, "boss"))["access_token"])
    listed = (await client.get("/api/v1/admin/playback/sessions", headers=admin)).json()
    assert [(s["id"], s["method"], s["username"]) for s in listed] == [
        (chosen["playback_session_id"], "remux", "viewer")
    ]
    assert listed[0]["speed"] > 0
    refused = await client.get("/api/v1/admin/playback/sessions", headers=library.headers)
    assert refused.status_code == 403
    stop = await client.delete(
        f"/api/v1/admin/playback/sessions/{chosen['playback_session_id']}", headers=admin
    )
    assert stop.status_code == 204
    assert (await client.get(chosen["url"])).status_code == 410


async def test_players_report_progress_pause_and_stop_through_the_item_state(
    client: httpx.AsyncClient, library: Library
) -> None:
    item, _ = await library.add(make_video(library.root / "D.mp4", seconds=4))
    chosen = (await _play(client, library, item, profile="hls-generic")).json()["files"][0]
    state = f"/api/v1/items/movie/{item}/state"
    body = {"playback_session_id": chosen["playback_session_id"], "position_seconds": 2.5,
            "paused": True}  # fmt: skip
    r = await client.patch(state, json=body, headers=library.headers)
    assert r.status_code == 200, r.text
    assert r.json()["position_seconds"] == 2.5
    async with library.runtime.db.transaction() as session:
        from revenge.playback import service

        ((row, _, _),) = await service.admin_sessions(session)
    assert (row.position_seconds, row.paused) == (2.5, True)
    stop = {"playback_session_id": chosen["playback_session_id"], "stopped": True}
    assert (await client.patch(state, json=stop, headers=library.headers)).status_code == 200
    assert (await client.get(chosen["url"])).status_code == 410
