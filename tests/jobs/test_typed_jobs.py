"""Jobs are declared once with a payload type; jobs queued by an earlier version still run."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from revenge.catalog.index_tasks import index_items
from revenge.images.tasks import download_image
from revenge.infra.jobs.worker import Worker
from revenge.integrations.tasks import refresh_feed, scan_requested, sync_feed
from revenge.libraries.tasks import ScanLibrary, probe_files, scan_library
from revenge.metadata.tasks import fetch_metadata
from revenge.notifications.tasks import deliver_notification
from revenge.runtime import Runtime
from revenge.testing.auth import ADMIN, header_auth
from tests.libraries.helpers import rows
from tests.support.media import make_video
from tests.support.waiting import eventually

AS_ADMIN = {"x-test-user": "admin"}
ID = str(uuid.uuid4())

# Payloads exactly as earlier versions stored them.
OLD_PAYLOADS: list[tuple[Any, dict[str, Any]]] = [
    (scan_library, {"library_id": ID, "type": "full"}),
    (scan_library, {"library_id": ID, "type": "incremental", "scan_id": ID, "folders": ["a/b"]}),
    (probe_files, {"library_id": ID, "file_ids": [ID]}),
    (fetch_metadata, {"library_id": ID, "items": [{"kind": "movie", "id": ID}]}),
    (fetch_metadata, {"item_ids": [f"movie:{ID}"], "round": 2}),
    (index_items, {"library_id": ID, "items": [{"kind": "episode", "id": ID}]}),
    (index_items, {"rebuild": True}),
    (download_image, {"url": "https://x.test/a.jpg",
                      "target": {"item_id": ID, "item_kind": "movie", "kind": "poster"}}),
    (download_image, {"embedded": "/m/a.flac", "force": True}),
    (deliver_notification, {"event": {"type": "test", "title": "t"}, "channel_id": ID,
                            "recipient": "a@b.test"}),
    (scan_requested, {"window": True}),
    (refresh_feed, {"feed_id": ID}),
    (sync_feed, {"feed_id": ID, "round": 3}),
]  # fmt: skip


@pytest.mark.parametrize(("job", "raw"), OLD_PAYLOADS)
def test_old_payloads_parse_and_are_written_back_the_same(job: Any, raw: dict[str, Any]) -> None:
    assert job.job(job.parse(raw)).payload == raw


async def test_a_scan_queued_in_the_old_shape_is_still_run(
    clean_runtime: Runtime, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    root = tmp_path / "films"
    make_video(root / "Heat (1995)" / "Heat (1995).mkv")
    async with clean_runtime.db.transaction() as session:
        conn = await session.connection()
        await conn.exec_driver_sql(
            "INSERT INTO users (id, username, role) VALUES (%(id)s, 'admin', 'admin')",
            {"id": ADMIN.user_id},
        )
    with header_auth(clean_runtime):
        created = await client.post(
            "/api/v1/libraries",
            json={"name": "films", "type": "movie", "paths": [str(root)], "scan": False},
            headers=AS_ADMIN,
        )
        assert created.status_code == 201, created.text
        library_id = created.json()["id"]
        async with clean_runtime.db.transaction() as session:
            # By name and dict, as a row written before payloads were typed.
            await clean_runtime.jobs.enqueue(
                session, "libraries.scan", {"library_id": library_id, "type": "full"}
            )
        worker = Worker(clean_runtime, ("scan",))
        await worker.start()
        try:

            async def scanned() -> bool:
                sql = "SELECT status, type FROM library_scans WHERE library_id = :l"
                return await rows(clean_runtime, sql, l=library_id) == [
                    {"status": "completed", "type": "full"}
                ]

            await eventually(scanned, timeout=30)
        finally:
            await worker.stop(grace_seconds=5)
        movies = (await client.get("/api/v1/movies", headers=AS_ADMIN)).json()
        assert [m["title"] for m in movies["items"]] == ["Heat"]


def test_a_typed_payload_refuses_a_malformed_one() -> None:
    with pytest.raises(ValueError):
        scan_library.parse({"type": "full"})
    assert ScanLibrary(library_id=uuid.UUID(ID)).type == "incremental"
