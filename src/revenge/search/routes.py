"""`/api/v1/search` for everyone, `/api/v1/admin/search/rebuild` for administrators."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field

from revenge.api.deps import AdminUser, DbSession, RuntimeDep, app_runtime, current_user
from revenge.api.params import known_query_keys, query_of, reads_query_as
from revenge.api.written import WrittenJSON
from revenge.catalog.index_tasks import IndexItems, index_items
from revenge.catalog.keyset import clamp_limit
from revenge.infra import rows_json
from revenge.libraries.access import allowed_library_ids
from revenge.search.documents import ITEM_TYPES
from revenge.search.index import SearchQuery
from revenge.search.schemas import RebuildOut, SearchHitOut, SearchOut
from revenge.search.service import search_index

router = APIRouter(tags=["search"], dependencies=[Depends(known_query_keys)])


_TYPE = "(" + "|".join(ITEM_TYPES) + ")"
# A comma-separated list of item types, exactly: the schema tells clients what is accepted.
_TYPES = f"^({_TYPE}(,{_TYPE})*)?$"


def _types(raw: str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(raw.split(","))) if raw else ()


class SearchParams(BaseModel):
    """`/api/v1/search`'s query, read in one validation (`api.params.query_of`)."""

    q: str = Field(min_length=1, max_length=200)
    types: str | None = Field(None, pattern=_TYPES, description="Comma-separated item types.")
    library_id: uuid.UUID | None = None
    year_from: int | None = Field(None, ge=0, le=9999)
    year_to: int | None = Field(None, ge=0, le=9999)
    genre: str | None = Field(None, max_length=100)
    limit: int = Field(50, json_schema_extra={"minimum": 1})


# The answer's hits are written straight from the index's (infra.rows_json): validating
# twenty as models and writing them twice (under `items` and `groups`) was a sixth of a search.
_HITS = rows_json.objects_writer(SearchHitOut)


@router.get("/api/v1/search", response_model=SearchOut)
@reads_query_as(SearchParams)
async def search(request: Request) -> Response:
    """Titles, names, people, genres and overviews of what the caller may see."""
    # The query, caller and session are read here rather than declared: FastAPI's solving
    # seven parameters and two dependencies cost more than answering a remembered search.
    p = query_of(request, SearchParams)
    query = SearchQuery(p.q, _types(p.types), p.library_id, p.year_from, p.year_to, p.genre,
                        clamp_limit(p.limit))  # fmt: skip
    user = await current_user(request)
    runtime = app_runtime(request)
    async with runtime.db.reading_on_demand() as session:
        allowed = await allowed_library_ids(session, user)
        result = await search_index(runtime).search(session, query, allowed)
    items = _HITS.dicts(result.hits)
    groups: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        item["score"] = round(item["score"], 4)
        groups.setdefault(item["type"], []).append(item)
    return WrittenJSON(rows_json.dumps({
        "query": p.q, "items": items, "totals": result.totals,
        "totals_exact": result.totals_exact, "groups": groups,
    }))  # fmt: skip


@router.post("/api/v1/admin/search/rebuild", status_code=202)
async def rebuild(runtime: RuntimeDep, admin: AdminUser, session: DbSession) -> RebuildOut:
    """Queue a full rebuild of the search index."""
    job_id = await index_items.enqueue(
        session, IndexItems(rebuild=True), dedupe_key="search.rebuild"
    )
    return RebuildOut(job_id=job_id)
