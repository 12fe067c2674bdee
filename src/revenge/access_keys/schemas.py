"""API models of personal access keys."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from revenge.access_keys.models import AccessKey
from revenge.infra.records import RowOut

Scope = Literal["read", "write", "admin"]


def _read_only() -> list[Scope]:
    return ["read"]


class AccessKeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    scopes: list[Scope] = Field(default_factory=_read_only, min_length=1, max_length=3)
    expires_at: datetime | None = Field(None, description="Optional; must be in the future.")


class AccessKeyOut(RowOut):
    id: uuid.UUID
    name: str
    prefix: str = Field(description="The first characters of the key, to recognise it.")
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None

    @classmethod
    def of(cls, key: AccessKey) -> AccessKeyOut:
        return cls.from_row(key, scopes=list(key.scopes))


class AccessKeyCreated(AccessKeyOut):
    key: str = Field(description="The key itself; shown only this once.")
