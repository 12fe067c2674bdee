"""Identify by hand and edit metadata, the same way for movies, series and albums.

An item the caller may not see answers 404 before the administrator check, so a plain user
learns nothing about libraries hidden from them. A person's pick replaces the item's
provider ids (unlike a refresh, which keeps stored ids); edited fields are locked so later
fetches leave them alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.api.openapi import problem_responses
from revenge.catalog.text import sort_title
from revenge.errors import BadRequest, NotFound, ServiceUnavailable, Unprocessable
from revenge.metadata.errors import NoProviderKey, ProviderError, ProviderNotFound
from revenge.metadata.jobs import enqueue_artwork
from revenge.metadata.matching import Scored
from revenge.metadata.service import SearchFailed
from revenge.metadata.types import ExternalIds, ItemKind

if TYPE_CHECKING:
    from revenge.metadata import MetadataFeature
    from revenge.runtime import Runtime


class CandidateOut(BaseModel):
    provider: str
    provider_id: str
    title: str
    original_title: str | None
    year: int | None
    overview: str | None
    confidence: float


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


class IdentifyChoice(BaseModel):
    provider: str = Field(min_length=1, max_length=32)
    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")


def candidates_out(ranked: list[Scored]) -> list[CandidateOut]:
    return [
        CandidateOut(
            provider=s.candidate.provider, provider_id=s.candidate.provider_id,
            title=s.candidate.title, original_title=s.candidate.original_title,
            year=s.candidate.year, overview=s.candidate.overview, confidence=round(s.score, 4),
        )
        for s in ranked
    ]  # fmt: skip


def metadata_feature(runtime: Runtime) -> MetadataFeature:
    feature: MetadataFeature | None = runtime.metadata
    if feature is None:
        raise ServiceUnavailable("Metadata providers are not set up on this server.")
    return feature


async def search(
    runtime: Runtime,
    kind: ItemKind,
    title: str,
    year: int | None,
    artist: str | None = None,
) -> list[Scored]:
    """Provider candidates for a title, best first; the same refusals as applying a match."""
    try:
        return await metadata_feature(runtime).service.search(kind, title, year, artist)
    except SearchFailed as exc:
        if exc.not_set_up:
            raise BadRequest(
                f"No {kind} metadata provider is set up on this server: {exc}"
            ) from exc
        raise ServiceUnavailable(f"No {kind} metadata provider could answer: {exc}") from exc


async def choose(
    runtime: Runtime,
    session: AsyncSession,
    ref: str,
    capability: type,
    provider: str,
    provider_id: str,
) -> None:
    """Apply the provider record a person picked to the item `ref`, and queue its artwork."""
    feature = metadata_feature(runtime)
    kind = ref.partition(":")[0]
    chosen = feature.service.registry.providers.get(provider)
    usable = feature.service.registry.remote_for(cast(ItemKind, kind))
    if not isinstance(chosen, capability) or chosen not in usable:
        raise BadRequest(f"{provider!r} is not a {kind} metadata provider on this server.")
    facts = await feature.writer.item_facts(session, ref)
    if facts is None:
        raise NotFound(f"No {kind} {ref.partition(':')[2]}.")
    # The pick decides the ids: the ones stored before may be the wrong match being fixed.
    current = replace(facts.current, ids=ExternalIds()) if facts.current else None
    facts = replace(facts, ids=ExternalIds(), current=current)
    try:
        outcome = await feature.service.choose(facts, provider, provider_id)
    except ProviderNotFound as exc:
        raise Unprocessable(f"{provider} has no {kind} {provider_id!r}.") from exc
    except NoProviderKey as exc:
        raise BadRequest(f"{provider} is not set up on this server: {exc}") from exc
    except ProviderError as exc:
        raise ServiceUnavailable(f"{provider} could not answer: {exc}") from exc
    await feature.writer.save_metadata(session, outcome)
    await enqueue_artwork(runtime, session, facts, outcome)


def edited_values(
    locked: list[str] | None,
    changes: dict[str, Any],
    editable: tuple[str, ...],
    unlock: Sequence[str],
) -> dict[str, Any]:
    """Columns to write for an edit: the edited fields added to the locked ones, minus
    `unlock` (fields handed back to the providers)."""
    unknown = set(unlock) - set(editable)
    if unknown:
        raise Unprocessable(f"Cannot unlock {sorted(unknown)}; lockable: {editable}.")
    if "title" in changes and changes["title"] is None:
        raise Unprocessable("A title cannot be removed.")
    values = {k: v for k, v in changes.items() if k in editable}
    if "title" in values:
        values["sort_title"] = sort_title(values["title"])
    merged = list(dict.fromkeys([*(locked or ()), *values]))
    values["locked_fields"] = [f for f in merged if f in editable and f not in unlock]
    return values
