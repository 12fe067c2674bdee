"""API views of stored rows: each field read off the row by its own name."""

from __future__ import annotations

from typing import Any, Self

from pydantic import BaseModel


class RowOut(BaseModel):
    """A response model whose fields are, but for the ones given, attributes of a row.

    A field with a default that the row lacks keeps its default (and stays unset).
    """

    @classmethod
    def from_row(cls, row: object, **given: Any) -> Self:
        values = dict(given)
        for name, field in cls.model_fields.items():
            if name not in given and (field.is_required() or hasattr(row, name)):
                values[name] = getattr(row, name)
        return cls.model_validate(values)
