"""Identify by hand and edit metadata, the same way for every kind that declares it.

An item the caller may not see answers 404 before the administrator check, so a plain user
learns nothing about libraries hidden from them. A person's pick replaces the item's
provider ids (unlike a refresh, which keeps stored ids); edited fields are locked so later
fetches leave them alone.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Annotated, Any, Literal, cast

from pydantic import BaseModel, Field, create_model
from pydantic.json_schema import SkipJsonSchema
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog.metadata_repository import edit_item
from revenge.catalog.repository import visible_row
from revenge.catalog.text import sort_title
from revenge.errors import BadRequest, NotFound, ServiceUnavailable, Unprocessable
from revenge.metadata.errors import NoProviderKey, ProviderError, ProviderNotFound
from revenge.metadata.jobs import enqueue_artwork
from revenge.metadata.matching import Scored
from revenge.metadata.service import SearchFailed
from revenge.metadata.types import ExternalIds, ItemKind

if TYPE_CHECKING:
    from revenge.catalog.kinds import ContentKind
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


# Fields a person may edit, with what each accepts; the year's lower bound is per kind.
_EDIT_FIELDS: dict[str, tuple[Any, Any]] = {
    # Omitted means unchanged; every field but the title may be cleared with null.
    "title": (
        Annotated[str, Field(min_length=1, max_length=500)] | SkipJsonSchema[None],  # type: ignore[misc]
        None,
    ),
    "original_title": (str | None, Field(default=None, max_length=500)),
    "overview": (str | None, Field(default=None, max_length=20_000)),
    "genres": (
        list[Annotated[str, Field(min_length=1, max_length=100)]] | None,
        Field(default=None, max_length=50),
    ),
}
_OUT_FIELDS: dict[str, Any] = {
    "title": str, "original_title": str | None, "year": int | None, "overview": str | None,
    "genres": list[str],
}  # fmt: skip
_OUT_TAIL: dict[str, Any] = {
    "locked_fields": (list[str], ...),
    "metadata_status": (str | None, ...),
    "metadata_reason": (str | None, ...),
}


def _literal(values: tuple[str, ...]) -> Any:
    """`Literal[values]`, for values known when the kind is declared."""
    return cast(Any, Literal)[values]


def choice_model(name: str, providers: tuple[str, ...], description: str) -> type[BaseModel]:
    """The body naming the provider record a person picked, for one kind."""
    provider = (_literal(providers), Field(description=description))
    return create_model(name, __base__=IdentifyChoice, provider=provider)


def edit_model(name: str, editable: tuple[str, ...], first_year: int) -> type[BaseModel]:
    """The body of a metadata edit: the editable fields, and the ones handed back."""
    fields: dict[str, Any] = {f: _EDIT_FIELDS[f] for f in editable if f in _EDIT_FIELDS}
    if "year" in editable:
        fields["year"] = (int | None, Field(default=None, ge=first_year, le=2200))
    lockable = _literal(editable)
    unlock: Any = (list[lockable], Field(default_factory=list, max_length=len(editable)))  # type: ignore[valid-type]
    ordered = {f: fields[f] for f in editable}
    return create_model(name, **ordered, unlock=unlock)


def metadata_out_model(
    name: str, editable: tuple[str, ...], ids: tuple[str, ...]
) -> type[BaseModel]:
    """What identify and edit answer: the editable fields, provider ids and lock state."""
    fields: dict[str, Any] = {"id": (uuid.UUID, ...)}
    fields |= {f: (kind, ...) for f, kind in _OUT_FIELDS.items() if f in editable}
    fields |= {i: (str | None, ...) for i in ids}
    return create_model(name, **fields, **_OUT_TAIL)


def metadata_out(model: type[BaseModel], item: Any) -> BaseModel:
    """`model` filled from a catalogue row (array columns may be NULL)."""
    values = {name: getattr(item, name) for name in model.model_fields}
    for name in ("genres", "locked_fields"):
        if name in values:
            values[name] = list(values[name] or ())
    return model(**values)


# (session, item id, libraries the caller may see) -> the row, or (row, artist name)
Getter = Callable[[AsyncSession, uuid.UUID, set[uuid.UUID] | None], Awaitable[Any]]


@dataclass(frozen=True, kw_only=True, slots=True)
class IdentifySpec:
    """A kind that people identify and edit by hand, and the routes that do it.

    `get(session, id, allowed)` answers the row, or (row, artist name) where the artist
    helps the search; `path` is where the routes sit below the module's prefix.
    """

    kind: ItemKind
    model: Any
    path: str
    get: Getter
    capability: type
    editable: tuple[str, ...]
    choice: type[BaseModel]
    edit: type[BaseModel]
    out: type[BaseModel]
    first_year: int = 1850


async def search_item(
    runtime: Runtime, spec: IdentifySpec, found: tuple[Any, str | None], q: str | None,
    year: int | None,
) -> list[Scored]:  # fmt: skip
    """Provider candidates for the item (its own title, artist and year unless given)."""
    item, artist = found
    if q is None and year is None:
        year = item.year
    return await search(runtime, spec.kind, q or item.title, year, artist)


async def choose_item(
    runtime: Runtime, session: AsyncSession, spec: IdentifySpec, item: Any, provider: str,
    provider_id: str,
) -> None:  # fmt: skip
    """Apply the provider record a person picked, and queue its artwork."""
    from revenge.catalog.metadata_writer import item_ref

    ref = item_ref(spec.kind, item.id)
    await choose(runtime, session, ref, spec.capability, provider, provider_id)
    await session.refresh(item)


async def edit(
    runtime: Runtime,
    session: AsyncSession,
    spec: IdentifySpec,
    item: Any,
    changes: dict[str, Any],
    unlock: Sequence[str],
) -> None:
    """Set and lock the edited fields; `unlock` hands fields back to the providers."""
    from revenge.catalog.metadata_writer import reindex

    values = edited_values(item.locked_fields, changes, spec.editable, unlock)
    await edit_item(session, spec.model, item.id, values)
    await reindex(runtime, session, item.library_id, spec.kind, item.id)
    await session.refresh(item)


def row_getter(model: Any) -> Getter:
    """The getter of a kind whose row alone is what identify needs."""

    async def get(session: AsyncSession, item_id: uuid.UUID, allowed: set[uuid.UUID] | None) -> Any:
        return await visible_row(session, model, item_id, allowed)

    return get


def identify_spec(
    kind: ContentKind, capability: type, providers: tuple[str, ...], ids: tuple[str, ...], *,
    path: str, names: tuple[str, str, str], get: Getter | None = None, first_year: int = 1850,
    provider_text: str = "A metadata provider of this kind.",
) -> IdentifySpec:  # fmt: skip
    """The identify routes of `kind`: its editable fields, the providers a person may pick
    from, the provider ids it answers with, and its schemas' names (choice, edit, answer);
    `get` reads the row (by default the kind's visible row)."""
    editable = kind.editable
    return IdentifySpec(
        kind=cast(ItemKind, kind.name), model=kind.model, path=path,
        get=get or row_getter(kind.model),
        capability=capability, editable=editable,
        choice=choice_model(names[0], providers, provider_text),
        edit=edit_model(names[1], editable, first_year),
        out=metadata_out_model(names[2], editable, ids), first_year=first_year,
    )  # fmt: skip
