"""API models of users, setup, sign-in and library access."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from revenge.accounts.models import User
from revenge.accounts.passwords import MAX_LENGTH, MIN_LENGTH
from revenge.api.text import NOT_BLANK
from revenge.infra.records import RowOut

# Printable, and neither starting nor ending with a blank.
USERNAME_PATTERN = rf"^{NOT_BLANK}(?:[^\x00-\x1f\x7f]{{0,62}}{NOT_BLANK})?$"

Password = Field(min_length=1, max_length=4096, description="Checked exactly as typed.")
NewPassword = Field(
    min_length=MIN_LENGTH,
    max_length=MAX_LENGTH,
    description=f"{MIN_LENGTH} to {MAX_LENGTH} characters, stored exactly as typed.",
)
Username = Field(
    min_length=1,
    max_length=64,
    pattern=USERNAME_PATTERN,
    description="Printable characters, without spaces at either end.",
)
Email = Field(default=None, max_length=320)
DisplayName = Field(default=None, max_length=200)


class UserOut(RowOut):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    username: str
    email: str | None
    display_name: str | None
    role: Literal["admin", "user"]
    disabled: bool
    all_libraries: bool
    has_password: bool
    created_at: datetime
    last_login_at: datetime | None

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls.from_row(user, has_password=user.password_hash is not None)


class UserPage(BaseModel):
    items: list[UserOut]
    total: int


class SetupRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Username
    password: str = NewPassword
    email: str | None = Email
    display_name: str | None = DisplayName


class UserCreate(SetupRequest):
    role: Literal["admin", "user"] = "user"
    all_libraries: bool = True


class UserUpdate(BaseModel):
    """Admin changes; only the fields sent are changed."""

    model_config = ConfigDict(extra="forbid")

    username: str | None = Field(
        default=None, min_length=1, max_length=64, pattern=USERNAME_PATTERN
    )
    email: str | None = Email
    display_name: str | None = DisplayName
    role: Literal["admin", "user"] | None = None
    disabled: bool | None = None
    all_libraries: bool | None = None
    password: str | None = Field(default=None, min_length=MIN_LENGTH, max_length=MAX_LENGTH)


class ProfileUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str | None = Email
    display_name: str | None = DisplayName


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: str = Password
    new_password: str = NewPassword
    end_other_sessions: bool = Field(True, description="Sign out every other session.")


class PasswordChanged(BaseModel):
    ended_sessions: int


class LibraryAccessBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    all_libraries: bool
    library_ids: list[uuid.UUID] = Field(default_factory=list, max_length=10_000)


class DeviceFields(BaseModel):
    device_id: str | None = Field(default=None, max_length=200)
    device_name: str | None = Field(default=None, max_length=200)
    client_name: str | None = Field(default=None, max_length=200)
    client_version: str | None = Field(default=None, max_length=64)


class LoginRequest(DeviceFields):
    username: str = Field(min_length=1, max_length=200)
    password: str = Password
    two_factor_code: str | None = Field(
        None,
        max_length=64,
        description="With two-factor sign-in on: the authenticator app's 6-digit code or an"
        " unused recovery code. Without it the answer is 401 `second-factor-required`.",
    )


class RefreshRequest(BaseModel):
    refresh_token: str = Field(min_length=1, max_length=200)


class TokenResponse(BaseModel):
    """Secrets are returned once; keep them out of URLs and logs."""

    access_token: str
    refresh_token: str
    token_type: Literal["Bearer"] = "Bearer"
    session_id: uuid.UUID
    expires_at: datetime
    user: UserOut
