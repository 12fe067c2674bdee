"""Which models rows can be written as without building them (`infra.rows_json`)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from pydantic import BaseModel, Field, field_serializer

from revenge.infra import rows_json


class Plain(BaseModel):
    id: uuid.UUID
    name: str
    rating: float | None
    tags: list[str] | None
    at: datetime


class Nested(BaseModel):
    inner: Plain


class Renamed(BaseModel):
    name: str = Field(serialization_alias="Name")


class Rewritten(BaseModel):
    name: str

    @field_serializer("name")
    def _upper(self, value: str) -> str:
        return value.upper()


def test_rows_are_written_as_the_model_writes_them_in_its_field_order() -> None:
    row = ("ignored", datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC), None, ["a"], "Ü \"x\"",
           uuid.UUID(int=7))  # fmt: skip
    write = rows_json.writer(Plain, ("extra", "at", "rating", "tags", "name", "id"))
    written = rows_json.dumps(write.dicts([row]))
    model = Plain(id=row[5], name=row[4], rating=None, tags=["a"], at=row[1])
    assert written == b"[" + model.model_dump_json().encode() + b"]"


def test_objects_are_written_under_the_keys_the_model_writes() -> None:
    written = rows_json.dumps(rows_json.objects_writer(Renamed).dicts([Renamed(name="x")]))
    assert written == b"[" + Renamed(name="x").model_dump_json(by_alias=True).encode() + b"]"


@pytest.mark.parametrize("model", [Nested, Rewritten])
def test_a_model_written_otherwise_than_its_values_is_refused(model: type[BaseModel]) -> None:
    with pytest.raises(TypeError, match=model.__name__):
        rows_json.writer(model, tuple(model.model_fields))
    with pytest.raises(TypeError, match=model.__name__):
        rows_json.objects_writer(model)


def test_rows_lacking_a_field_of_the_model_are_refused() -> None:
    with pytest.raises(TypeError, match="rating"):
        rows_json.writer(Plain, ("id", "name", "tags", "at"))
