"""Database rows (and other plain objects) written as a pydantic model's JSON, without
building the models.

A page of 50 movies cost ~75 us to validate as models from its rows and ~60 us to dump, in a
loop on its own; in the server, with its caches cold between requests, the two were a quarter
of a browse page's samples (py-spy). The rows come from our own typed columns, so validating
them proves nothing: a `Writer` takes each row's values for the model's fields, in the
model's order, into a dict (~0.8 us a row), and orjson writes the page (~16 us for 50 rows).
The output is the same bytes as the model's `model_dump_json` (tests check it per list);
`objects_writer` does the same from objects' attributes (a search's hits).

Only a model whose every field is a plain value orjson writes as pydantic does (a string, a
number, a flag, a UUID, a date and time, a list of those, or None) and which has no
serializer or computed field can be written this way; the writers refuse the others.
"""

from __future__ import annotations

import types
import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from functools import cache
from operator import attrgetter, itemgetter
from typing import Any, Union, cast, get_args, get_origin

import orjson
from pydantic import BaseModel

# Types whose values orjson writes exactly as pydantic's JSON does. A float field's values
# must be floats (a Float column's are): pydantic writes an int given to one as 7.0.
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


class Writer:
    """Writes rows or objects as a model's dicts: `values(x)` gives `x`'s values of the
    model's fields in order, written under `keys`."""

    def __init__(self, keys: tuple[str, ...], values: Callable[[Any], Sequence[Any]]) -> None:
        self.keys, self._values = keys, values

    def dicts(self, found: Iterable[Any]) -> list[dict[str, Any]]:
        """Each row or object as the dict its model would dump."""
        keys, values = self.keys, self._values
        return [dict(zip(keys, values(x), strict=True)) for x in found]


def _getter(getter: Any, names: list[Any]) -> Callable[[Any], Sequence[Any]]:
    """`getter(*names)`, always answering a tuple (given one name, operator's getters answer
    the value alone)."""
    if len(names) > 1:
        return cast(Callable[[Any], Sequence[Any]], getter(*names))
    one = getter(*names)
    return lambda x: (one(x),)


@cache
def writer(model: type[BaseModel], columns: tuple[str, ...]) -> Writer:
    """The writer of rows with `columns` as `model`: each field from its column. TypeError
    when `model` is not plain or a field of it has no column: the model is not one to write
    this way, or the statement reading its rows lost a column (as validating the rows as
    models would have failed)."""
    keys = _keys(model)
    if missing := set(keys) - set(columns):
        raise TypeError(f"Rows for {model.__name__} lack the columns {sorted(missing)}")
    return Writer(tuple(keys.values()), _getter(itemgetter, [columns.index(n) for n in keys]))


def objects_writer(model: Any) -> Writer:
    """The writer of objects as `model` (a model or a pydantic dataclass): each field from
    the object's attribute of its name. TypeError when `model` is not plain."""
    keys = _keys(model)
    return Writer(tuple(keys.values()), _getter(attrgetter, list(keys)))


def dumps(value: Any) -> bytes:
    """`value` (dicts, lists and plain values) as JSON, written as pydantic writes it."""
    return orjson.dumps(value, option=_OPTIONS)
