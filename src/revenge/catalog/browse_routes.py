"""The browse routes' shared query parameters, read into a `Browse` (HTTP layer).

Every browse route only reads (GET), so its session is a reading one: no transaction."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from revenge.api.deps import CurrentUser, ReadSession, app_runtime
from revenge.catalog.browse import Browse
from revenge.catalog.keyset import check_keys, clamp_limit
from revenge.catalog.totals import CatalogTotals
from revenge.errors import BadRequest
from revenge.libraries.access import allowed_library_ids

# Documented as at least 1; checked by `clamp_limit` so a bad value answers 400, like the
# other query parameters this module checks, and a large one is capped rather than refused.
PageSize = Annotated[int, Query(json_schema_extra={"minimum": 1})]


async def browse_params(
    request: Request,
    user: CurrentUser,
    session: ReadSession,
    library_id: uuid.UUID | None = None,
    order: Annotated[str, Query(pattern="^(asc|desc)$")] = "asc",
    limit: PageSize = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> Browse:
    allowed = await allowed_library_ids(session, user)
    if cursor is not None and offset:
        raise BadRequest("Use either a cursor or an offset, not both.")
    return Browse(
        user, session, allowed, library_id, order, clamp_limit(limit), offset, cursor,
        # The runtime read from the request, not declared: one dependency fewer to solve.
        CatalogTotals(app_runtime(request).cache),
    )  # fmt: skip


BrowseDep = Annotated[Browse, Depends(browse_params)]


# Years as PostgreSQL integers hold them; wider values could never match.
YearFilter = Annotated[int | None, Query(ge=0, le=9999)]


def sort_query(sorts: Sequence[str], default: str, filters: Iterable[str] = ()) -> Any:
    """A list route's `sort` parameter (one of `sorts`), read once the query is known to name
    only the paging keys and the route's own `filters`: a mistyped filter answers 400 rather
    than being ignored."""
    known = tuple(filters)

    # The parameter is declared by its default, not in its annotation: annotations are read
    # as strings in the module's names, where `sorts` is not. A coroutine, though it never
    # waits: FastAPI runs a plain function in a worker thread, a hop that cost more CPU
    # than the check.
    async def read_sort(
        request: Request, sort: str = Query(default, json_schema_extra={"enum": list(sorts)})
    ) -> str:
        check_keys(request, sort, sorts, known)
        return sort

    return Depends(read_sort)
