"""Settings of a test or benchmark server: its own Redis key prefix, scanning kept quiet."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from revenge.config import Settings

# Folder watching and periodic scans queue scans on their own; tests that want them turn
# them on through the server settings. Files are read at once (no waiting for a copy to end).
QUIET_SCANNING = {"realtime": False, "interval_hours": 0, "settle_seconds": 0}


def make_settings(
    data_dir: Path, database_url: str, redis_url: str | None, **extra: Any
) -> Settings:
    """Settings over these servers; `extra` are further Settings fields (dicts for sections)."""
    fields: dict[str, Any] = {"scanning": QUIET_SCANNING, **extra}
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        redis_url=redis_url,
        cache={"redis_prefix": f"revenge-test-{uuid.uuid4().hex[:8]}:"},
        **fields,
    )
