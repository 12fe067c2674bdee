"""Streaming a file: whole, one range, suffix, beyond the end, malformed and many ranges."""

from __future__ import annotations

import httpx

from revenge.streaming.ranges import Unsatisfiable, parse_range
from tests.streaming.conftest import AS_USER, CONTENT, Media

SIZE = len(CONTENT)


def _url(media: Media) -> str:
    return f"/api/v1/stream/{media.file_id}"


async def test_full_file(api: httpx.AsyncClient, media: Media) -> None:
    r = await api.get(_url(media), headers=AS_USER)
    assert r.status_code == 200
    assert r.content == CONTENT
    assert r.headers["accept-ranges"] == "bytes"
    assert r.headers["content-length"] == str(SIZE)
    assert r.headers["content-type"] == "video/x-matroska"
    assert r.headers["etag"].startswith('"')


async def test_head_has_headers_and_no_body(api: httpx.AsyncClient, media: Media) -> None:
    r = await api.head(_url(media), headers=AS_USER)
    assert r.status_code == 200
    assert r.content == b""
    assert r.headers["content-length"] == str(SIZE)
    partial = await api.head(_url(media), headers={**AS_USER, "range": "bytes=10-19"})
    assert partial.status_code == 206
    assert partial.headers["content-range"] == f"bytes 10-19/{SIZE}"


async def test_partial_range(api: httpx.AsyncClient, media: Media) -> None:
    r = await api.get(_url(media), headers={**AS_USER, "range": "bytes=1000-1999"})
    assert r.status_code == 206
    assert r.headers["content-range"] == f"bytes 1000-1999/{SIZE}"
    assert r.content == CONTENT[1000:2000]


async def test_open_ended_and_clamped_ranges(api: httpx.AsyncClient, media: Media) -> None:
    r = await api.get(_url(media), headers={**AS_USER, "range": f"bytes={SIZE - 5}-"})
    assert (r.status_code, r.content) == (206, CONTENT[-5:])
    r = await api.get(_url(media), headers={**AS_USER, "range": f"bytes={SIZE - 5}-{SIZE + 99}"})
    assert r.headers["content-range"] == f"bytes {SIZE - 5}-{SIZE - 1}/{SIZE}"
    assert r.content == CONTENT[-5:]


async def test_suffix_range(api: httpx.AsyncClient, media: Media) -> None:
    r = await api.get(_url(media), headers={**AS_USER, "range": "bytes=-500"})
    assert r.status_code == 206
    assert r.headers["content-range"] == f"bytes {SIZE - 500}-{SIZE - 1}/{SIZE}"
    assert r.content == CONTENT[-500:]
    whole = await api.get(_url(media), headers={**AS_USER, "range": f"bytes=-{SIZE * 3}"})
    assert (whole.status_code, whole.content) == (206, CONTENT)


async def test_beyond_end_is_416(api: httpx.AsyncClient, media: Media) -> None:
    for header in (f"bytes={SIZE}-", f"bytes={SIZE + 10}-{SIZE + 20}", "bytes=-0"):
        r = await api.get(_url(media), headers={**AS_USER, "range": header})
        assert r.status_code == 416, header
        assert r.headers["content-range"] == f"bytes */{SIZE}"
        assert r.content == b""


async def test_malformed_ranges_are_ignored(api: httpx.AsyncClient, media: Media) -> None:
    for header in ("bytes=abc", "bytes=5-2", "items=0-10", "bytes=", "bytes=1-2-3", "bytes"):
        r = await api.get(_url(media), headers={**AS_USER, "range": header})
        assert r.status_code == 200, header
        assert len(r.content) == SIZE


async def test_many_ranges_answer_whole_file_without_multipart(
    api: httpx.AsyncClient, media: Media
) -> None:
    many = "bytes=" + ",".join(f"{i * 10}-{i * 10 + 500}" for i in range(200))
    r = await api.get(_url(media), headers={**AS_USER, "range": many})
    assert r.status_code == 200
    assert len(r.content) == SIZE
    assert not r.headers["content-type"].startswith("multipart")
    overlapping = await api.get(_url(media), headers={**AS_USER, "range": "bytes=0-99,50-150"})
    assert (overlapping.status_code, len(overlapping.content)) == (200, SIZE)
    none_fit = f"bytes={SIZE}-,{SIZE + 5}-"
    r = await api.get(_url(media), headers={**AS_USER, "range": none_fit})
    assert r.status_code == 416


async def test_if_range_with_current_and_stale_validators(
    api: httpx.AsyncClient, media: Media
) -> None:
    first = await api.head(_url(media), headers=AS_USER)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    for validator in (etag, modified):
        r = await api.get(
            _url(media), headers={**AS_USER, "range": "bytes=0-9", "if-range": validator}
        )
        assert (r.status_code, r.content) == (206, CONTENT[:10])
    for stale in ('"stale"', "W/" + etag, "Mon, 01 Jan 2001 00:00:00 GMT"):
        r = await api.get(_url(media), headers={**AS_USER, "range": "bytes=0-9", "if-range": stale})
        assert (r.status_code, len(r.content)) == (200, SIZE)


async def test_if_none_match_gives_304(api: httpx.AsyncClient, media: Media) -> None:
    etag = (await api.head(_url(media), headers=AS_USER)).headers["etag"]
    r = await api.get(_url(media), headers={**AS_USER, "if-none-match": etag})
    assert (r.status_code, r.content) == (304, b"")


async def test_etag_changes_when_file_is_rewritten(api: httpx.AsyncClient, media: Media) -> None:
    before = (await api.head(_url(media), headers=AS_USER)).headers["etag"]
    media.path.write_bytes(CONTENT[:100])
    after = await api.get(_url(media), headers=AS_USER)
    assert after.headers["etag"] != before
    assert after.content == CONTENT[:100]


def test_the_players_form_is_read_as_the_general_parse_reads_it() -> None:
    """`bytes=a-b` takes a short way; a leading space sends the same header the long way."""
    forms = [
        *("bytes=0-0", "bytes=10-19", "bytes=10-", "bytes=-5", "bytes=-0", "bytes=5-4"),
        *(f"bytes={SIZE}-", f"bytes={SIZE - 1}-{SIZE * 2}", "bytes=a-b", "bytes=1-2-3"),
        *("bytes=", "bytes=-", "bytes= 3 - 7 ", "bytes=\u0663-\u0667", "bytes=0x1-2"),
    ]
    for form in forms:
        assert _parsed(form) == _parsed(" " + form), form


def _parsed(header: str) -> object:
    try:
        return parse_range(header, SIZE)
    except Unsatisfiable:
        return "416"
