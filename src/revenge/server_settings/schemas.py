"""Server-settings API payloads."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from revenge.server_settings.service import ResolvedSetting


class SettingOut(BaseModel):
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
        return cls(
            key=d.key,
            value=r.value,
            source=r.source,
            default=d.default,
            type=getattr(d.type, "__name__", str(d.type)),
            description=d.description,
            minimum=d.minimum,
            maximum=d.maximum,
            choices=list(d.choices) if d.choices else None,
            pattern=d.pattern,
            public=d.public,
            restart_required=d.restart_required,
        )


class SettingValue(BaseModel):
    value: Any


class SettingsPatch(BaseModel):
    """Several settings at once (all validated before any is stored)."""

    values: dict[str, Any]
