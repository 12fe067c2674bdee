"""What a content kind is, declared once: the shape every content package fills in.

A content package (`catalog/movies`, `catalog/tv`, ...) declares one `ContentModule` in its
`kind.py`: the library type it catalogues, its routes and cataloguer, and a `ContentKind` for
each item kind it stores (movie; series, season, episode; ...). The shared features (item
references, user state, home rows, search documents, collections, image links, metadata,
identify routes, the table list) ask the registry in `catalog/registry.py` instead of keeping
their own list of kinds, so a new kind is one new package plus its line in that registry.

Declarations are imported by low features (search, collections, images), so everything heavy
(cataloguer, metadata writer, routers) is named by a factory that imports it when first asked.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from fastapi import APIRouter

    from revenge.catalog.identify import IdentifySpec
    from revenge.catalog.metadata_fields import KindMetadata
    from revenge.catalog.types import Cataloguer
    from revenge.metadata.kinds import ProviderKind

Media = Literal["video", "audio"]


def lazy(target: str, package: str | None = None, *, build: bool = False) -> Callable[[], Any]:
    """A factory of `module:name` (relative to `package`), imported when first called;
    `build` calls what it names (a class) for a fresh instance."""
    module, _, name = target.partition(":")

    def load() -> Any:
        found = getattr(importlib.import_module(module, package), name)
        return found() if build else found

    return load


@dataclass(frozen=True, slots=True)
class SearchSource:
    """How the search index reads an item kind.

    `sql` selects (id, library_id, title, original_title, sort_title, names, people, year,
    overview, genres) from the kind's table aliased `m`; `parents` are (parent kind, SQL of
    the parent ids of `:ids`), whose documents change when a child does.
    """

    sql: str
    parents: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class ContentKind:
    """One kind of catalogue item. `name` is its key everywhere: item references
    (`<name>:<uuid>`), user state, search documents, image targets and collections."""

    name: str
    model: type[Any]
    # Rows (id, library_id, title, subtitle, year[, chapter]) that describe references to it.
    reference: Callable[[], Any] | None = None
    search: SearchSource | None = None
    playable: bool = False
    # Listed in "recently added" on the home screen.
    top_level: bool = False
    # Starred and rated without being played (albums, artists).
    rateable: bool = False
    # Which playlists may hold it; which collections may hold it.
    media: Media | None = None
    collection: Media | None = None
    images: bool = True
    # Fields a person may edit by hand; they are locked against later fetches.
    editable: tuple[str, ...] = ()
    writer: Callable[[], KindMetadata] | None = None
    identify: Callable[[], IdentifySpec] | None = None
    providers: Callable[[], ProviderKind] | None = None

    @property
    def table(self) -> str:
        return str(self.model.__tablename__)


@dataclass(frozen=True, kw_only=True, slots=True)
class ContentModule:
    """A library type and the kinds its files become."""

    library_type: str
    kinds: tuple[ContentKind, ...]
    cataloguer: Callable[[], Cataloguer]
    routes: Callable[[], APIRouter]
    prefix: str
    tag: str
    # Modules holding its tables, for the schema and migrations.
    models: tuple[ModuleType, ...] = field(default=())


def declared(
    package: str | None, *, writer: str | None = None, identify: bool = False,
    providers: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """A kind's heavy parts in its package, by the names they have there: its metadata
    writer class (`metadata_writer.py`), its identify routes (`identify.py`'s `SPEC`) and its
    provider kind (in `providers.py`); to spread into `ContentKind(...)`."""
    found: dict[str, Any] = {}
    if writer is not None:
        found["writer"] = lazy(f".metadata_writer:{writer}", package, build=True)
    if identify:
        found["identify"] = lazy(".identify:SPEC", package)
    if providers is not None:
        found["providers"] = lazy(f".providers:{providers}", package)
    return found


def content_module(
    package: str | None, library_type: str, kinds: tuple[ContentKind, ...], *, tag: str,
    cataloguer: str,
) -> ContentModule:  # fmt: skip
    """The module of a content package laid out as ARCHITECTURE.md says: its routes at
    `/api/v1/<tag>` (`routes.py`'s `router`), its tables in `models.py` and its `cataloguer`
    class in `cataloguer.py`."""
    assert package is not None
    return ContentModule(
        library_type=library_type, kinds=kinds, prefix=f"/api/v1/{tag}", tag=tag,
        cataloguer=lazy(f".cataloguer:{cataloguer}", package, build=True),
        routes=lazy(".routes:router", package),
        models=(importlib.import_module(".models", package),),
    )  # fmt: skip


class KindRegistry:
    """Every registered module and kind, in registration order."""

    def __init__(self, modules: Sequence[ContentModule]) -> None:
        self.modules = tuple(modules)
        self._kinds = {k.name: k for m in self.modules for k in m.kinds}
        self._library = {k.name: m.library_type for m in self.modules for k in m.kinds}
        self._cataloguers: dict[str, Cataloguer] = {}

    def __iter__(self) -> Any:
        return iter(self._kinds.values())

    def __contains__(self, name: object) -> bool:
        return name in self._kinds

    def get(self, name: str) -> ContentKind | None:
        return self._kinds.get(name)

    def __getitem__(self, name: str) -> ContentKind:
        return self._kinds[name]

    def where(self, test: Callable[[ContentKind], object]) -> tuple[ContentKind, ...]:
        return tuple(k for k in self._kinds.values() if test(k))

    def names(self, test: Callable[[ContentKind], object] = bool) -> tuple[str, ...]:
        return tuple(k.name for k in self.where(test))

    def library_type(self, name: str) -> str:
        return self._library[name]

    def module(self, library_type: str) -> ContentModule:
        return next(m for m in self.modules if m.library_type == library_type)

    def cataloguer(self, library_type: str) -> Cataloguer:
        """The module's cataloguer, built once."""
        if library_type not in self._cataloguers:
            self._cataloguers[library_type] = self.module(library_type).cataloguer()
        return self._cataloguers[library_type]

    def cataloguers(self) -> list[Cataloguer]:
        return [self.cataloguer(m.library_type) for m in self.modules]

    def model_modules(self) -> tuple[ModuleType, ...]:
        """Every module's table modules."""
        return tuple(dict.fromkeys(name for m in self.modules for name in m.models))
