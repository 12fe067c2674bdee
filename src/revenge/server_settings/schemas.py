"""Server-settings API payloads."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from revenge.infra.records import RowOut
from revenge.server_settings.registry import REGISTRY, value_schema
from revenge.server_settings.service import ResolvedSetting


def _known_settings(schema: dict[str, Any]) -> None:
    """Document each registered setting's value; filled in when the schema is built."""
    schema.update(
        type="object",
        properties={key: value_schema(setting) for key, setting in sorted(REGISTRY.items())},
        additionalProperties=False,
    )


def known_keys(schema: dict[str, Any]) -> None:
    """List the registered keys; filled in when the schema is built."""
    schema["enum"] = sorted(REGISTRY)


class SettingOut(RowOut):
    key: str
    value: Any
    source: str
    default: Any
    type: str
    description: str
    minimum: float | None = None
    maximum: float | None = None
    choices: list[Any] | None = None
    pattern: str | None = None
    public: bool
    restart_required: bool

    @classmethod
    def of(cls, r: ResolvedSetting) -> SettingOut:
        d = r.definition
        return cls.from_row(
            d,
            value=r.value,
            source=r.source,
            type=getattr(d.type, "__name__", str(d.type)),
            choices=list(d.choices) if d.choices else None,
        )


class SettingValue(BaseModel):
    value: Any


class SettingsPatch(BaseModel):
    """Several settings at once (all validated before any is stored)."""

    values: dict[str, Any] = Field(json_schema_extra=_known_settings)
