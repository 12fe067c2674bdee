"""API models of OIDC providers and the sign-in exchange."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from revenge.accounts.models import OidcProvider
from revenge.accounts.schemas import DeviceFields
from revenge.infra.records import RowOut

_NAME = r"^[a-z0-9][a-z0-9_-]{0,63}$"
_ISSUER = r"^https?://"
# Space-separated scopes, one of them `openid` (ASCII spaces, the same in every regex dialect).
_SCOPES = r"(^|[ \t\n\r\f\v])openid([ \t\n\r\f\v]|$)"


def _trim_issuer(value: str | None) -> str | None:
    return value.rstrip("/") if value else value


class ProviderFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    issuer: str | None = Field(None, max_length=500, pattern=_ISSUER, description="An http(s) URL.")
    client_id: str | None = Field(None, min_length=1, max_length=500)
    client_secret: str | None = Field(None, max_length=2000, description="Stored encrypted.")
    scopes: str | None = Field(
        None, max_length=500, pattern=_SCOPES, description="Space-separated; include openid."
    )
    claim_mapping: dict[str, str] | None = Field(
        None, description="Keys username, email, display_name -> claim names."
    )
    auto_create_users: bool | None = None
    admin_group: str | None = Field(None, max_length=200)
    groups_claim: str | None = Field(None, min_length=1, max_length=100)
    enabled: bool | None = None

    _issuer = field_validator("issuer")(_trim_issuer)


class ProviderCreate(ProviderFields):
    name: str = Field(pattern=_NAME)
    issuer: str = Field(max_length=500, pattern=_ISSUER, description="An http(s) URL.")
    client_id: str = Field(min_length=1, max_length=500)


class ProviderUpdate(ProviderFields):
    """Only the fields sent change; `client_secret: null` removes the secret."""


class ProviderOut(RowOut):
    id: uuid.UUID
    name: str
    issuer: str
    client_id: str
    has_client_secret: bool
    scopes: str
    claim_mapping: dict[str, str]
    auto_create_users: bool
    admin_group: str | None
    groups_claim: str
    enabled: bool
    created_at: datetime

    @classmethod
    def of(cls, p: OidcProvider) -> ProviderOut:
        return cls.from_row(p, has_client_secret=p.client_secret_encrypted is not None)


class ProviderName(BaseModel):
    name: str


class LoginCodeExchange(DeviceFields):
    login_code: str = Field(min_length=1, max_length=200)
