"""Fixtures for browse tests: a library granted to the plain user and one nobody was granted."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from revenge.runtime import Runtime
from revenge.testing.auth import USER, header_auth
from revenge.testing.seed import add_file, add_library, add_users, execute

AS_ADMIN = {"x-test-user": "admin"}
AS_USER = {"x-test-user": "user"}


@dataclass
class Libraries:
    shared: uuid.UUID
    private: uuid.UUID
    tv: uuid.UUID
    private_tv: uuid.UUID


@pytest.fixture
async def api(
    client: httpx.AsyncClient, clean_runtime: Runtime
) -> AsyncIterator[httpx.AsyncClient]:
    await add_users(clean_runtime)
    with header_auth(clean_runtime):
        yield client


@pytest.fixture
async def libs(api: httpx.AsyncClient, clean_runtime: Runtime) -> Libraries:
    """`shared` and `tv` are granted to USER; the private ones to nobody (admins see them)."""
    rt = clean_runtime
    return Libraries(
        shared=await add_library(rt, "movie", grant=(USER.user_id,)),
        private=await add_library(rt, "movie"),
        tv=await add_library(rt, "tv", grant=(USER.user_id,)),
        private_tv=await add_library(rt, "tv"),
    )


async def give_duration(
    runtime: Runtime, tmp_path: Path, library_id: uuid.UUID, kind: str, item_id: uuid.UUID,
    seconds: float,
) -> None:  # fmt: skip
    """A main media file of the given running time for an item."""
    path = tmp_path / f"{item_id}.mkv"
    path.write_bytes(b"x")
    file_id = await add_file(runtime, library_id, path, item=(kind, item_id))
    await execute(
        runtime, "UPDATE media_files SET duration_seconds = :d WHERE id = :i", d=seconds, i=file_id
    )


async def all_pages(
    api: httpx.AsyncClient, url: str, headers: dict[str, str], **params: Any
) -> list[dict[str, Any]]:
    """Every item of a list, following `next_cursor`."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = await api.get(url, params=query, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items
