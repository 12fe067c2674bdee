"""Database rows written as a pydantic model's JSON, without building the models.

A page of 50 movies cost ~75 us to validate as models from its rows and ~60 us to dump, in a
loop on its own; in the server, with its caches cold between requests, the two were a quarter
of a browse page's samples (py-spy). The rows come from our own typed columns, so validating
them proves nothing: `RowsWriter` takes each row's values for the model's fields, in the
model's order, into a dict (~0.8 us a row), and orjson writes the page (~16 us for 50 rows).
The output is the same bytes as the model's `model_dump_json` (tests check it per list).

Only a model whose every field is a plain value orjson writes as pydantic does (a string, a
number, a flag, a UUID, a date and time, a list of those, or None) and which has no
serializer, alias or computed field can be written this way; `writer` refuses the others.
"""

from __future__ import annotations

import types
import uuid
from collections.abc import Sequence
from datetime import date, datetime
from functools import cache
from operator import itemgetter
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


def _writable(model: type[BaseModel]) -> bool:
    decorators = model.__pydantic_decorators__
    return (
        not decorators.field_serializers
        and not decorators.model_serializers
        and not model.model_computed_fields
        and all(
            f.alias is None and f.serialization_alias is None and _plain(f.annotation)
            for f in model.model_fields.values()
        )
    )


class RowsWriter:
    """Writes rows having columns `columns` as `model`s: each field from its column."""

    def __init__(self, model: type[BaseModel], columns: Sequence[str]) -> None:
        self.names = tuple(model.model_fields)
        at = [list(columns).index(name) for name in self.names]
        self._values = itemgetter(*at) if len(at) > 1 else lambda row: (row[at[0]],)

    def dicts(self, rows: Sequence[Sequence[Any]]) -> list[dict[str, Any]]:
        """Each row as the dict its model would dump."""
        names, values = self.names, self._values
        return [dict(zip(names, values(row), strict=True)) for row in rows]


@cache
def writer(model: type[BaseModel], columns: tuple[str, ...]) -> RowsWriter:
    """The writer of rows with `columns` as `model`. TypeError when `model` is not plain or a
    field of it has no column: the model is not one to write this way, or the statement
    reading its rows lost a column (as validating the rows as models would have failed)."""
    if not _writable(model):
        raise TypeError(f"{model.__name__} has a field rows_json cannot write as pydantic does")
    if missing := set(model.model_fields) - set(columns):
        raise TypeError(f"Rows for {model.__name__} lack the columns {sorted(missing)}")
    return RowsWriter(model, columns)


def dumps(value: Any) -> bytes:
    """`value` (dicts, lists and plain values) as JSON, written as pydantic writes it."""
    return orjson.dumps(value, option=_OPTIONS)
