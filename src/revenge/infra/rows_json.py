"""Database rows (and other plain objects) written as a pydantic model's JSON, without
building the models.

A page of 50 movies cost ~75 us to validate as models from its rows and ~60 us to dump, in a
loop on its own; in the server, with its caches cold between requests, the two were a quarter
of a browse page's samples (py-spy). The rows come from our own typed columns, so validating
them proves nothing: `RowsWriter` takes each row's values for the model's fields, in the
model's order, into a dict (~0.8 us a row), and orjson writes the page (~16 us for 50 rows).
The output is the same bytes as the model's `model_dump_json` (tests check it per list);
`ObjectsWriter` does the same from objects' attributes (a search's hits).

Only a model whose every field is a plain value orjson writes as pydantic does (a string, a
number, a flag, a UUID, a date and time, a list of those, or None) and which has no
serializer or computed field can be written this way; the writers refuse the others.
"""

from __future__ import annotations

import types
import uuid
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import cache
from operator import attrgetter, itemgetter
from typing import Any, Union, get_args, get_origin

import orjson
from pydantic import BaseModel

# Types whose values orjson writes exactly as pydantic's JSON does.
_PLAIN: frozenset[Any] = frozenset({str, int, bool, float, uuid.UUID, datetime, date})
# UTC as "Z", as pydantic writes it.
_OPTIONS = orjson.OPT_UTC_Z


def _plain(annotation: Any) -> bool:
    if annotation in _PLAIN or annotation is type(None):
        return True
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        return all(_plain(arg) for arg in get_args(annotation))
    if origin is list:
        (item,) = get_args(annotation)
        return item in _PLAIN
    return False


def _keys(model: Any) -> dict[str, str]:
    """Each field of `model` (a model or a pydantic dataclass) and the key its JSON has (its
    serialization alias, as FastAPI writes answers), when every field is plain and nothing
    rewrites them; TypeError otherwise."""
    decorators = model.__pydantic_decorators__
    fields = model.__pydantic_fields__
    if (
        decorators.field_serializers
        or decorators.model_serializers
        or decorators.computed_fields
        or not all(_plain(f.annotation) for f in fields.values())
    ):
        raise TypeError(f"{model.__name__} has a field rows_json cannot write as pydantic does")
    return {name: f.serialization_alias or f.alias or name for name, f in fields.items()}


class RowsWriter:
    """Writes rows having columns `columns` as `model`s: each field from its column."""

    def __init__(self, model: type[BaseModel], columns: Sequence[str]) -> None:
        keys = _keys(model)
        if missing := set(keys) - set(columns):
            raise TypeError(f"Rows for {model.__name__} lack the columns {sorted(missing)}")
        self.names = tuple(keys.values())
        at = [list(columns).index(name) for name in keys]
        self._values = itemgetter(*at) if len(at) > 1 else lambda row: (row[at[0]],)

    def dicts(self, rows: Sequence[Sequence[Any]]) -> list[dict[str, Any]]:
        """Each row as the dict its model would dump."""
        names, values = self.names, self._values
        return [dict(zip(names, values(row), strict=True)) for row in rows]


class ObjectsWriter:
    """Writes objects as `model`s (a model or a pydantic dataclass): each field from the
    object's attribute of its name."""

    def __init__(self, model: Any) -> None:
        keys = _keys(model)
        self.names = tuple(keys.values())
        self._values = attrgetter(*keys) if len(keys) > 1 else lambda o: (getattr(o, *keys),)

    def dicts(self, objects: Iterable[Any]) -> list[dict[str, Any]]:
        """Each object as the dict its model would dump."""
        names, values = self.names, self._values
        return [dict(zip(names, values(o), strict=True)) for o in objects]


@cache
def writer(model: type[BaseModel], columns: tuple[str, ...]) -> RowsWriter:
    """The writer of rows with `columns` as `model`. TypeError when `model` is not plain or a
    field of it has no column: the model is not one to write this way, or the statement
    reading its rows lost a column (as validating the rows as models would have failed)."""
    return RowsWriter(model, columns)


def dumps(value: Any) -> bytes:
    """`value` (dicts, lists and plain values) as JSON, written as pydantic writes it."""
    return orjson.dumps(value, option=_OPTIONS)
