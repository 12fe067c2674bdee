"""`/api/v1/search` for everyone, `/api/v1/admin/search/rebuild` for administrators."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from revenge.api.deps import (
    AdminUser,
    CurrentUser,
    DbSession,
    OnDemandReadSession,
    RuntimeDep,
    app_runtime,
)
from revenge.api.params import known_query_keys
from revenge.catalog.index_tasks import IndexItems, index_items
from revenge.catalog.keyset import clamp_limit
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


@router.get("/api/v1/search")
async def search(
    request: Request, user: CurrentUser, session: OnDemandReadSession,
    q: Annotated[str, Query(min_length=1, max_length=200)],
    types: Annotated[
        str | None, Query(pattern=_TYPES, description="Comma-separated item types.")
    ] = None,
    library_id: uuid.UUID | None = None,
    year_from: Annotated[int | None, Query(ge=0, le=9999)] = None,
    year_to: Annotated[int | None, Query(ge=0, le=9999)] = None,
    genre: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(json_schema_extra={"minimum": 1})] = 50,
) -> SearchOut:  # fmt: skip
    """Titles, names, people, genres and overviews of what the caller may see."""
    query = SearchQuery(q, _types(types), library_id, year_from, year_to, genre,
                        clamp_limit(limit))  # fmt: skip
    allowed = await allowed_library_ids(session, user)
    # The runtime read from the request, not declared: one dependency fewer to solve.
    result = await search_index(app_runtime(request)).search(session, query, allowed)
    items = [SearchHitOut(**{**vars(h), "score": round(h.score, 4)}) for h in result.hits]
    groups: dict[str, list[SearchHitOut]] = {}
    for item in items:
        groups.setdefault(item.item_type, []).append(item)
    return SearchOut(
        query=q, items=items, totals=result.totals, totals_exact=result.totals_exact,
        groups=groups,
    )  # fmt: skip


@router.post("/api/v1/admin/search/rebuild", status_code=202)
async def rebuild(runtime: RuntimeDep, admin: AdminUser, session: DbSession) -> RebuildOut:
    """Queue a full rebuild of the search index."""
    job_id = await index_items.enqueue(
        session, IndexItems(rebuild=True), dedupe_key="search.rebuild"
    )
    return RebuildOut(job_id=job_id)
