"""API models of two-factor sign-in."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

Code = Field(min_length=6, max_length=64, description="A 6-digit code or a recovery code.")


class TwoFactorStatus(BaseModel):
    enabled: bool
    enabled_at: datetime | None
    recovery_codes_left: int


class TwoFactorSetup(BaseModel):
    """Shown once: add it to an authenticator app (the URI is what a QR code holds)."""

    secret: str = Field(description="Base32 secret, for typing in by hand.")
    provisioning_uri: str = Field(description="`otpauth://totp/...` URI for a QR code.")


class TwoFactorCode(BaseModel):
    code: str = Code


class RecoveryCodes(BaseModel):
    """Ten single-use codes, shown only now; each signs in once instead of an app code."""

    recovery_codes: list[str]
