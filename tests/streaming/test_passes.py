"""A connection's next ranges of the same request are decided as the routed path decides."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from revenge.runtime import Runtime
from revenge.streaming import direct
from revenge.streaming.routes import recent_grants
from revenge.streaming.signing import file_scope, signer
from revenge.testing.auth import USER
from tests.streaming.conftest import AS_USER, CONTENT, Media


@pytest.fixture
def routed(monkeypatch: pytest.MonkeyPatch) -> list[uuid.UUID]:
    """The requests the routed path's checks decided (the others: the connection's pass)."""
    seen: list[uuid.UUID] = []
    original = direct.open_stream

    async def counting(request: object, file_id: uuid.UUID, token: str | None) -> object:
        seen.append(file_id)
        return await original(request, file_id, token)  # type: ignore[arg-type]

    monkeypatch.setattr(direct, "open_stream", counting)
    return seen


async def _ranges(http: httpx.AsyncClient, url: str, count: int, **headers: str) -> str:
    """`count` ranges of `url` on `http`'s connection, each checked; the file's ETag."""
    for n in range(count):
        r = await http.get(url, headers={"range": f"bytes={n * 7}-{n * 7 + 6}", **headers})
        assert (r.status_code, r.content) == (206, CONTENT[n * 7 : n * 7 + 7])
    return r.headers["etag"]


async def test_the_next_ranges_of_a_media_url_are_decided_by_the_pass(
    served: str, clean_runtime: Runtime, media: Media, routed: list[uuid.UUID]
) -> None:
    token = signer(clean_runtime).issue(USER, file_scope(media.file_id))
    url = f"{served}/api/v1/stream/{media.file_id}"
    async with httpx.AsyncClient(params={"token": token}) as http:
        etag = await _ranges(http, url, 20)
        assert routed == [media.file_id]  # the first; the pass the other 19
        # Other headers are another request: the routed path decides it, and it has a pass.
        await _ranges(http, url, 3, **{"x-player": "2"})
        assert len(routed) == 2
        # A conditional request is always the routed path's, and gives no pass.
        await _ranges(http, url, 2, **{"if-range": etag, "x-player": "3"})
        assert len(routed) == 4
    async with httpx.AsyncClient(params={"token": token}) as http:
        await _ranges(http, url, 2)  # a new connection starts without a pass
        assert len(routed) == 5


async def test_a_signed_in_caller_is_checked_on_every_range(
    served: str, media: Media, routed: list[uuid.UUID]
) -> None:
    url = f"{served}/api/v1/stream/{media.file_id}"
    async with httpx.AsyncClient() as http:
        await _ranges(http, url, 4, **AS_USER)
    assert len(routed) == 4


async def test_a_pass_ends_with_its_grant(
    served: str, clean_runtime: Runtime, media: Media, routed: list[uuid.UUID]
) -> None:
    """When the grant expires (here: dropped), the routed path decides again: a user disabled
    meanwhile is refused."""
    token = signer(clean_runtime).issue(USER, file_scope(media.file_id))
    url = f"{served}/api/v1/stream/{media.file_id}"
    async with httpx.AsyncClient(params={"token": token}) as http:
        await _ranges(http, url, 3)
        recent_grants(clean_runtime).clear()
        await _ranges(http, url, 3)
        assert len(routed) == 2
        async with clean_runtime.db.transaction() as session:
            await session.execute(
                text("UPDATE users SET disabled = true WHERE id = :id"), {"id": USER.user_id}
            )
        await _ranges(http, url, 1)  # the grant still holds, as on the routed path
        recent_grants(clean_runtime).clear()
        refused = await http.get(url, headers={"range": "bytes=0-0"})
        assert refused.status_code == 401
        assert refused.headers["content-type"] == "application/problem+json"


async def test_a_file_replaced_meanwhile_is_sent_as_it_now_is(
    served: str, clean_runtime: Runtime, media: Media, routed: list[uuid.UUID], tmp_path: Path
) -> None:
    token = signer(clean_runtime).issue(USER, file_scope(media.file_id))
    url = f"{served}/api/v1/stream/{media.file_id}"
    async with httpx.AsyncClient(params={"token": token}) as http:
        before = await http.get(url, headers={"range": "bytes=0-3"})
        replacement = tmp_path / "new.mkv"
        replacement.write_bytes(b"NEW!" + CONTENT[4:])
        replacement.replace(media.path)  # a new inode where the old file was
        after = await http.get(url, headers={"range": "bytes=0-3"})
    assert (before.content, after.content) == (CONTENT[:4], b"NEW!")
    assert before.headers["etag"] != after.headers["etag"]
    assert len(routed) == 1  # decided by the pass, which opened the file afresh
