"""The browse routes' query, read into a `Browse` (HTTP layer).

Every browse route only reads (GET), so its session is a reading one: no transaction.

A route's query is one model (`ListQuery` and its subclasses), validated in one call
(`api.params.query_of`), with the caller and the session opened beside it (`listing`): each
declared query parameter and each dependency costs FastAPI ~10 us on every request, and a
page of movies declared twelve parameters and four dependencies, a sixth of its whole cost
(`bench/request_cost_pair.py`). The OpenAPI document lists the model's fields as the route's
parameters (`api.openapi`)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Annotated, Any, ClassVar, Generic, NamedTuple, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from revenge.api.deps import app_runtime, current_user
from revenge.api.params import query_of, reads_query_as, refuse_unknown_keys
from revenge.catalog.browse import Browse
from revenge.catalog.keyset import clamp_limit
from revenge.catalog.totals import CatalogTotals
from revenge.errors import BadRequest
from revenge.libraries.access import allowed_library_ids


class ListQuery(BaseModel):
    """The paging keys every browse route reads; other keys are ignored."""

    model_config = ConfigDict(frozen=True)

    library_id: uuid.UUID | None = None
    order: str = Field("asc", pattern="^(asc|desc)$")
    # Documented as at least 1; checked by `clamp_limit` so a bad value answers 400, like
    # the other checks below, and a large one is capped rather than refused.
    limit: int = Field(50, json_schema_extra={"minimum": 1})
    offset: int = Field(0, ge=0, le=10_000_000)
    cursor: str | None = Field(None, max_length=2048)

    def check(self, request: Request) -> None:
        """400 for what validation alone does not refuse."""
        if self.cursor is not None and self.offset:
            raise BadRequest("Use either a cursor or an offset, not both.")


class SortedQuery(ListQuery):
    """A list route's query: the paging keys, its `sort` (one of `SORTS`) and its own filters;
    any other key answers 400 rather than being ignored, so a mistyped filter is not read
    as an unfiltered list."""

    SORTS: ClassVar[tuple[str, ...]] = ()
    sort: str

    def check(self, request: Request) -> None:
        refuse_unknown_keys(request, type(self).model_fields, "filter")
        super().check(request)
        if self.sort not in self.SORTS:
            raise BadRequest(f"Unknown sort '{self.sort}'.", key=self.sort)


def sort_field(sorts: Sequence[str], default: str) -> Any:
    """A `SortedQuery`'s `sort` field: `default` unless asked, documented as one of `sorts`."""
    return Field(default, json_schema_extra={"enum": list(sorts)})


def year_field() -> Any:
    """A year filter's field: years as PostgreSQL integers hold them (wider values could never
    match)."""
    return Field(None, ge=0, le=9999)


Q = TypeVar("Q", bound=ListQuery)


class Listing(NamedTuple, Generic[Q]):
    """What a list route is given: who asks with which page (`browse`), and its query."""

    browse: Browse
    query: Q


@asynccontextmanager
async def listing(
    request: Request, model: type[Q], shows: type[BaseModel] | None = None
) -> AsyncIterator[Listing[Q]]:
    """A list route's caller, session and page, with its query read as `model`: the route is
    marked `@reads_query_as(model)` and takes only the request, so that FastAPI solves
    nothing for it (a dependency, even one, costs it tens of microseconds a request).
    `shows`: the model its rows are answered as (`Browse.listed_as`), whose fields are all
    the columns the list reads."""
    query = query_of(request, model)
    query.check(request)
    user = await current_user(request)
    runtime = app_runtime(request)
    async with runtime.db.reading() as session:
        allowed = await allowed_library_ids(session, user)
        browse = Browse(
            user, session, allowed, query.library_id, query.order, clamp_limit(query.limit),
            query.offset, query.cursor, CatalogTotals(runtime.cache), shows,
        )  # fmt: skip
        yield Listing(browse, query)


@reads_query_as(ListQuery)
async def browse_params(request: Request) -> AsyncIterator[Browse]:
    async with listing(request, ListQuery) as found:
        yield found.browse


# Function scope, as `api.deps.ReadSession`: the session is closed before the answer is sent.
BrowseDep = Annotated[Browse, Depends(browse_params, scope="function")]
