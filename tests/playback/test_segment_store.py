"""HLS segments through the storage interface, on two producers with their own data directories.

With the default storage (the data directory) a segment is stored where it is made and nothing
is copied; with a storage folder elsewhere (one mounted on every node) each segment a producer
makes is stored there too, and another producer answers it from there without making it. (The
same with object storage, across `revenge serve` processes: test_scale_out.)
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from revenge.config import PlaybackSettings
from revenge.infra.storage import LocalStorage
from revenge.playback.plan import Plan, Variant
from revenge.playback.producer import SegmentProducer
from revenge.playback.segment_store import SegmentStore
from revenge.testing.video import make_video

COPY = Variant("original", "copy", 160, 120, 1_000_000, "copy")
Producers = Callable[[Path, Path], SegmentProducer]


@pytest.fixture
async def producers() -> AsyncIterator[Producers]:
    """Makes producers (a data directory and a storage folder each), closed at the end."""
    made: list[SegmentProducer] = []

    def producer(data_dir: Path, storage: Path) -> SegmentProducer:
        store = SegmentStore(LocalStorage(storage), data_dir)
        # Read-ahead past the end: the first request's run makes every segment, then ends.
        settings = PlaybackSettings(segment_seconds=2, read_ahead_segments=20)
        made.append(SegmentProducer(store, settings, 1))
        return made[-1]

    yield producer
    for each in made:
        each.close()


async def _plan(producer: SegmentProducer, source: Path) -> Plan:
    return await producer.plan(str(source), 8.0, 0, 1, [COPY])


def _segments(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.ts"))


async def test_the_data_directory_store_keeps_segments_where_they_are_made(
    producers: Producers, tmp_path: Path
) -> None:
    source = make_video(tmp_path / "media" / "film.mkv", seconds=8)
    data = tmp_path / "data"
    producer = producers(data, data)
    assert not producer.store.shared
    session = uuid.uuid4()
    plan = await _plan(producer, source)
    found = await producer.segment(session, plan, COPY, 0)
    await producer.idle()
    assert found == data / "transcode" / str(session) / "original" / "0.ts"
    # Made once, in the node's folder: no copy anywhere else.
    count = len(plan.bounds(COPY)) - 1
    assert count > 1
    assert _segments(data) == sorted(f"transcode/{session}/original/{n}.ts" for n in range(count))
    await producer.remove(session)
    assert _segments(data) == []


async def test_a_producer_answers_segments_another_stored_in_a_shared_folder(
    producers: Producers, tmp_path: Path
) -> None:
    source = make_video(tmp_path / "media" / "film.mkv", seconds=8)
    shared = tmp_path / "shared"
    a, b = producers(tmp_path / "a", shared), producers(tmp_path / "b", shared)
    assert a.store.shared and b.store.shared
    session = uuid.uuid4()
    plan = await _plan(a, source)
    made = await a.segment(session, plan, COPY, 0)
    await a.idle()  # the segments read ahead are made and stored as well
    assert isinstance(made, Path)
    count = len(plan.bounds(COPY)) - 1
    stored = [f"transcode/{session}/original/{n}.ts" for n in range(count)]
    assert count > 1 and _segments(shared) == sorted(stored)
    for n in range(count):
        found = await b.segment(session, plan, COPY, n)
        assert found == shared / stored[n]
        assert found.read_bytes() == (made.parent / f"{n}.ts").read_bytes()
    await b.idle()
    assert _segments(tmp_path / "b") == []  # b made nothing
    # The session ends: the producer that made the segments deletes the stored ones too.
    await a.remove(session)
    assert _segments(shared) == [] and _segments(tmp_path / "a") == []
    assert not (shared / "transcode" / str(session)).exists()
