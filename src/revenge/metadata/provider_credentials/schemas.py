"""Provider-credential API payloads (never the plaintext)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class CredentialIn(BaseModel):
    value: str = Field(min_length=1, max_length=4096)


class CredentialProviderOut(BaseModel):
    service: str
    name: str
    configured: bool


class CredentialOut(BaseModel):
    service: str
    name: str
    masked_value: str
    key_id: str
    created_at: datetime
    updated_at: datetime
    last_used_at: datetime | None


class CredentialTest(BaseModel):
    service: str
    ok: bool
    detail: str
    status_code: int | None = None
