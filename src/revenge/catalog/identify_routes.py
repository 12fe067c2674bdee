"""Identify an item by hand and edit its metadata (administrators): one router per kind.

Each kind that declares an `IdentifySpec` gets the same three routes below its module's
prefix, with its own path parameter (`movie_id`, `series_id`, ...) and body and answer
schemas, so clients see the same API as when each kind wrote them out.
"""

from __future__ import annotations

import inspect
import uuid
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.api.deps import CurrentUser, DbSession, RuntimeDep
from revenge.api.openapi import problem_responses
from revenge.catalog import identify
from revenge.catalog.identify import CandidateOut, IdentifySpec, candidates_out, metadata_out
from revenge.errors import NotFound
from revenge.identity import Principal
from revenge.identity.principal import require_admin
from revenge.libraries.access import allowed_library_ids

Endpoint = Callable[..., Coroutine[Any, Any, Any]]

# What identify and edit routes may answer besides success, documented once for every kind:
# the item is looked up first (404 when hidden), then the caller must be an administrator.
ADMIN_ONLY = {403: "The caller is not an administrator."}
SEARCH_RESPONSES = problem_responses(
    {
        **ADMIN_ONLY,
        400: "No provider for this kind is set up (no API key stored).",
        503: "No metadata provider could answer.",
    }
)
CHOOSE_RESPONSES = problem_responses(
    {
        **ADMIN_ONLY,
        400: "The provider is not set up on this server.",
        503: "The provider could not answer.",
    }
)
EDIT_RESPONSES = problem_responses(ADMIN_ONLY)


async def item_for_admin(
    session: AsyncSession, principal: Principal, spec: IdentifySpec, item_id: uuid.UUID
) -> tuple[Any, str | None]:
    """The item (and its artist) if the caller may see it (else 404) and is an administrator
    (else 403)."""
    allowed = await allowed_library_ids(session, principal)
    found = await spec.get(session, item_id, allowed)
    if found is None:
        raise NotFound(f"No {spec.kind} {item_id}.")
    require_admin(principal)
    return found if isinstance(found, tuple) else (found, None)


def _param(name: str, annotation: Any, default: Any = inspect.Parameter.empty) -> Any:
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default
    )


def _signed(endpoint: Endpoint, params: list[inspect.Parameter]) -> Endpoint:
    """`endpoint` (taking keywords) as FastAPI should see it: named parameters per kind."""
    endpoint.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    return endpoint


def identify_router(spec: IdentifySpec) -> APIRouter:
    """GET/POST `{path}/{<kind>_id}/identify` and PATCH `{path}/{<kind>_id}/metadata`."""
    router = APIRouter()
    id_name = f"{spec.kind}_id"
    item_path = f"{spec.path}/{{{id_name}}}"
    common = [
        _param(id_name, Annotated[uuid.UUID, Path()]),
        _param("user", CurrentUser),
        _param("session", DbSession),
        _param("runtime", RuntimeDep),
    ]
    year_query = Query(ge=spec.first_year, le=2200)

    async def search_candidates(**kw: Any) -> list[CandidateOut]:
        found = await item_for_admin(kw["session"], kw["user"], spec, kw[id_name])
        ranked = await identify.search_item(kw["runtime"], spec, found, kw["q"], kw["year"])
        return candidates_out(ranked)

    async def apply_match(**kw: Any) -> Any:
        item, _ = await item_for_admin(kw["session"], kw["user"], spec, kw[id_name])
        choice = kw["choice"]
        await identify.choose_item(
            kw["runtime"], kw["session"], spec, item, choice.provider, choice.id
        )
        return metadata_out(spec.out, item)

    async def edit_metadata(**kw: Any) -> Any:
        item, _ = await item_for_admin(kw["session"], kw["user"], spec, kw[id_name])
        edit = kw["edit"]
        changes = edit.model_dump(include=edit.model_fields_set - {"unlock"})
        await identify.edit(kw["runtime"], kw["session"], spec, item, changes, edit.unlock)
        return metadata_out(spec.out, item)

    search_params = [
        _param("q", Annotated[str | None, Query(min_length=1, max_length=300)], None),
        _param("year", Annotated[int | None, year_query], None),
    ]
    router.add_api_route(
        f"{item_path}/identify",
        _signed(search_candidates, common + search_params),
        methods=["GET"],
        response_model=list[CandidateOut],
        responses=SEARCH_RESPONSES,
        description=f"Provider candidates for the {spec.kind}, best first, each with its "
        "confidence (0..1).",
    )
    router.add_api_route(
        f"{item_path}/identify",
        _signed(apply_match, [common[0], _param("choice", spec.choice), *common[1:]]),
        methods=["POST"],
        response_model=spec.out,
        responses=CHOOSE_RESPONSES,
        description=f"Apply the chosen provider record to the {spec.kind} and mark it matched.",
    )
    router.add_api_route(
        f"{item_path}/metadata",
        _signed(edit_metadata, [common[0], _param("edit", spec.edit), *common[1:]]),
        methods=["PATCH"],
        response_model=spec.out,
        responses=EDIT_RESPONSES,
        description="Set fields by hand; they are locked so later fetches keep them.",
    )
    return router
