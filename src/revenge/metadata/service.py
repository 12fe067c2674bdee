"""Identifying an item and gathering its metadata from local sources and providers.

Order of work for one item: read local sources (NFO, embedded tags) and ids written in the
folder or file name; each remote provider, in configured order, first tries those ids (an
exact match, no search), else searches and scores candidates; ids learned from one provider
let the next one match exactly. A provider that fails is recorded and skipped; the others'
work is kept, and the outcome names the providers that were down (`unavailable`) so the job
can fetch the item again later. Only when every provider failed for a transient reason, and
nothing else was learned, does the fetch raise so the job is retried later.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from pathlib import Path

from revenge.config import MetadataSettings
from revenge.libraries.naming._text import provider_ids
from revenge.metadata.errors import (
    NoProviderKey,
    ProviderError,
    ProviderNotFound,
    ProviderUnavailable,
)
from revenge.metadata.matching import MatchDecision, MatchQuery, Scored, decide
from revenge.metadata.merge import SourcedMetadata, merge
from revenge.metadata.protocols import Provider
from revenge.metadata.registry import ProviderRegistry
from revenge.metadata.types import Candidate, ExternalIds, ItemKind, ItemMetadata
from revenge.metadata.writer import FetchOutcome, ItemFacts, OutcomeStatus, ProviderMatch

log = logging.getLogger(__name__)


class ProvidersUnavailable(ProviderUnavailable):
    """Every remote provider failed transiently and nothing else was learned: retry later."""

    def __init__(self, errors: dict[str, ProviderError]) -> None:
        super().__init__("metadata", "; ".join(str(e) for e in errors.values()))
        self.errors = errors


class SearchFailed(ProviderError):
    """No provider could be searched; `errors` says why, per provider."""

    def __init__(self, errors: dict[str, ProviderError]) -> None:
        super().__init__("metadata", "; ".join(str(e) for e in errors.values()))
        self.errors = errors

    @property
    def not_set_up(self) -> bool:
        """Every provider lacks its API key: a setup problem, not an outage."""
        return all(isinstance(e, NoProviderKey) for e in self.errors.values())


@dataclass
class _Gathered:
    remote: list[SourcedMetadata] = field(default_factory=list)
    matches: list[ProviderMatch] = field(default_factory=list)
    decisions: list[MatchDecision] = field(default_factory=list)
    errors: dict[str, ProviderError] = field(default_factory=dict)


def ids_from_path(path: Path | None, depth: int = 3) -> ExternalIds:
    """Ids written in the file or folder names, e.g. `{tmdb-603}` or `[imdbid-tt0133093]`."""
    if path is None:
        return ExternalIds()
    found: dict[str, str] = {}
    for part in [path.name, *(p.name for p in list(path.parents)[: depth - 1])]:
        for key, value in provider_ids(part).items():
            found.setdefault(key, value)
    return ExternalIds.from_mapping(found)


class MetadataService:
    """Pure enrichment logic: no database, no transactions (the caller owns those)."""

    def __init__(self, registry: ProviderRegistry, settings: MetadataSettings) -> None:
        self.registry = registry
        self.settings = settings

    async def identify(self, facts: ItemFacts) -> FetchOutcome:
        """Match the item and merge every source's answer into one outcome."""
        local = await self._read_local(facts)
        # An episode's folders name its series: for a kind looked up through its parent,
        # only the file's own name speaks for it.
        described = self.registry.kinds.get(facts.kind)
        depth = 1 if described is not None and described.lookup_as else 3
        ids = facts.ids.merged(ids_from_path(facts.path, depth))
        for s in local:
            ids = ids.merged(s.metadata.ids)
        title = next((s.metadata.title for s in local if s.metadata.title), None) or facts.title
        year = next((s.metadata.year for s in local if s.metadata.year), None) or facts.year
        query = replace(facts, title=title, year=year)
        gathered = _Gathered()
        for provider in self.registry.remote_for(facts.kind):
            try:
                ids = await self._from_provider(provider, facts, query, ids, gathered)
            except ProviderError as exc:
                log.warning("metadata %s for item %s: %s", provider.name, facts.item_id, exc)
                gathered.errors[provider.name] = exc
        return self._outcome(facts, local, gathered, ids)

    async def choose(self, facts: ItemFacts, provider_name: str, provider_id: str) -> FetchOutcome:
        """A person picked a match: fetch it and merge as if it had been found by id."""
        provider = self.registry.providers[provider_name]
        local = await self._read_local(facts)
        meta = await self._details(provider, facts, provider_id)
        gathered = _Gathered(
            remote=[SourcedMetadata(provider.name, meta)],
            matches=[ProviderMatch(provider.name, provider_id, "user", 1.0)],
        )
        return self._outcome(facts, local, gathered, meta.ids)

    async def search(
        self, kind: ItemKind, title: str, year: int | None, artist: str | None = None
    ) -> list[Scored]:
        """Candidates from every provider for a person to pick from, best first.

        Raises `SearchFailed` when no provider could be asked at all: an empty list means
        the providers answered and found nothing, never that they were down or not set up.
        """
        facts = ItemFacts(item_id="", kind=kind, title=title, year=year, artist=artist)
        ranked: list[Scored] = []
        errors: dict[str, ProviderError] = {}
        providers = self.registry.remote_for(kind)
        for provider in providers:
            try:
                found = await self._search(provider, facts, title, year)
            except ProviderNotFound:
                found = []  # the provider answered: it knows nothing by that name
            except ProviderError as exc:
                log.warning("search on %s failed: %s", provider.name, exc)
                errors[provider.name] = exc
                continue
            ranked.extend(decide(facts, found).ranked)
        if providers and len(errors) == len(providers):
            raise SearchFailed(errors)
        return sorted(ranked, key=lambda s: -s.score)

    async def _read_local(self, facts: ItemFacts) -> list[SourcedMetadata]:
        if facts.path is None:
            return []
        found = []
        for source in self.registry.local_sources:
            try:
                meta = await source.read(facts.kind, facts.path)
            except (OSError, ValueError) as exc:
                log.warning("local %s metadata of %s unreadable: %s", source.name, facts.path, exc)
                continue
            if meta is not None:
                found.append(SourcedMetadata(source.name, meta, local=True))
        return found

    async def _from_provider(
        self,
        provider: Provider,
        facts: ItemFacts,
        query: MatchQuery,
        ids: ExternalIds,
        gathered: _Gathered,
    ) -> ExternalIds:
        """Add this provider's answer to `gathered`; return the ids known afterwards."""
        parent = self.registry.kinds[facts.kind].lookup_as
        lookup_ids = facts.parent_ids.merged(ids) if parent else ids
        provider_id = await provider.resolve_id(parent or facts.kind, lookup_ids)
        if provider_id is not None:
            match = ProviderMatch(provider.name, provider_id, "id", 1.0)
        elif parent:
            raise ProviderNotFound(provider.name, f"the {parent} is not identified yet")
        else:
            candidates = await self._search(provider, facts, query.title, query.year)
            decision = decide(
                query, candidates, self.settings.match_threshold, self.settings.ambiguity_margin
            )
            if decision.status != "matched" or decision.best is None:
                gathered.decisions.append(decision)
                return ids
            best = decision.best
            match = ProviderMatch(provider.name, best.candidate.provider_id, "search", best.score)
        meta = await self._details(provider, facts, match.provider_id)
        gathered.remote.append(SourcedMetadata(provider.name, meta))
        gathered.matches.append(match)
        return ids if parent else ids.merged(meta.ids)

    async def _search(
        self, p: Provider, facts: ItemFacts, title: str, year: int | None
    ) -> list[Candidate]:
        described = self.registry.kinds[facts.kind]
        if not isinstance(p, described.capability):
            return []
        return await described.search(
            p, facts, title, year, facts.language or self.settings.language
        )

    async def _details(self, p: Provider, facts: ItemFacts, pid: str) -> ItemMetadata:
        described = self.registry.kinds[facts.kind]
        if not isinstance(p, described.capability):
            raise ProviderNotFound(p.name, f"cannot describe a {facts.kind}")
        lang = facts.language or self.settings.language
        return await described.details(p, facts, pid, lang)

    def _outcome(
        self,
        facts: ItemFacts,
        local: list[SourcedMetadata],
        gathered: _Gathered,
        ids: ExternalIds,
    ) -> FetchOutcome:
        errors = {name: str(exc) for name, exc in gathered.errors.items()}
        candidates = tuple(s for d in gathered.decisions for s in d.ranked)
        if not gathered.remote and not local:
            return _nothing_found(facts, gathered, errors, candidates)
        merged = merge(
            facts.kind,
            [*local, *gathered.remote],
            locked=facts.locked_fields,
            current=facts.current,
        )
        meta = replace(merged.metadata, ids=merged.metadata.ids.merged(ids))
        status: OutcomeStatus = "matched" if gathered.remote else "local"
        reason = ", ".join(f"{m.provider} by {m.method}" for m in gathered.matches) or "local only"
        return FetchOutcome(
            facts.item_id,
            status,
            meta,
            reason,
            tuple(gathered.matches),
            merged.provenance,
            () if gathered.remote else candidates,
            errors,
            _unavailable(gathered),
        )


def _nothing_found(
    facts: ItemFacts,
    gathered: _Gathered,
    errors: dict[str, str],
    candidates: tuple[Scored, ...],
) -> FetchOutcome:
    """Unmatched or ambiguous; raise instead when only outages stood in the way."""
    transient = all(e.transient for e in gathered.errors.values())
    if gathered.errors and transient and not gathered.decisions:
        raise ProvidersUnavailable(dict(gathered.errors))
    decision = next((d for d in gathered.decisions if d.status == "ambiguous"), None)
    decision = decision or (gathered.decisions[0] if gathered.decisions else None)
    status: OutcomeStatus = (
        "ambiguous" if decision and decision.status == "ambiguous" else "unmatched"
    )
    reason = decision.reason if decision else "; ".join(errors.values()) or "no provider"
    return FetchOutcome(
        facts.item_id,
        status,
        None,
        reason,
        candidates=candidates,
        errors=errors,
        unavailable=_unavailable(gathered),
    )


def _unavailable(gathered: _Gathered) -> tuple[str, ...]:
    """Providers that could not be asked this time (down, timing out, rate limited)."""
    return tuple(name for name, e in gathered.errors.items() if e.transient)
