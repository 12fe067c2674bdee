"""The typed registry of known server settings: type, default, bounds, visibility."""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError

from revenge.config import Settings, validate_allowlist_entry

DAY = 86400


class InvalidSetting(ValueError):
    """A value does not fit its setting; the message names the key."""

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(f"{key}: {reason}")
        self.key = key
        self.reason = reason


@dataclass(frozen=True)
class SettingDef:
    key: str
    type: type[Any] | Any
    default: Any
    description: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[Any, ...] | None = None
    pattern: str | None = None
    public: bool = False
    restart_required: bool = False
    # The config-file/environment field this key falls back to, when one exists.
    from_config: Callable[[Settings], Any] | None = None
    config_field: tuple[str, str] | None = None
    item_check: Callable[[str], str] | None = None

    def validate(self, value: Any) -> Any:
        """The value converted to the setting's type, or InvalidSetting naming the key."""
        if self.type is int and isinstance(value, float) and value.is_integer():
            value = int(value)  # JSON has one number type: 30.0 is the integer 30
        try:
            typed = _adapter(self.type).validate_python(value, strict=self.type is not float)
        except ValidationError as exc:
            raise InvalidSetting(self.key, _first_error(exc, self.type)) from None
        self._check_bounds(typed)
        if self.item_check is not None:
            typed = [self._check_item(item) for item in typed]
        return typed

    def _check_bounds(self, typed: Any) -> None:
        measure = len(typed) if isinstance(typed, str | list) else typed
        if self.minimum is not None and measure < self.minimum:
            raise InvalidSetting(self.key, f"must be at least {self.minimum:g}")
        if self.maximum is not None and measure > self.maximum:
            raise InvalidSetting(self.key, f"must be at most {self.maximum:g}")
        if self.choices is not None and typed not in self.choices:
            raise InvalidSetting(self.key, f"must be one of {', '.join(map(str, self.choices))}")
        if self.pattern is not None and not re.fullmatch(self.pattern, typed):
            raise InvalidSetting(self.key, f"must match {self.pattern}")

    def _check_item(self, item: str) -> str:
        assert self.item_check is not None
        try:
            return self.item_check(item)
        except ValueError as exc:
            raise InvalidSetting(self.key, str(exc)) from None


_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def _adapter(tp: Any) -> TypeAdapter[Any]:
    if tp not in _ADAPTERS:
        _ADAPTERS[tp] = TypeAdapter(tp)
    return _ADAPTERS[tp]


def _first_error(exc: ValidationError, tp: Any) -> str:
    name = getattr(tp, "__name__", str(tp))
    return f"expected {name}: {exc.errors()[0]['msg']}"


def _cidr(entry: str) -> str:
    try:
        return str(ipaddress.ip_network(entry.strip(), strict=False))
    except ValueError:
        raise ValueError(f"{entry!r} is not an IP address or network") from None


def _defs() -> list[SettingDef]:
    return [
        SettingDef("server.name", str, "Revenge", "Server display name.", 1, 100, public=True,
                   from_config=lambda s: s.server.name, config_field=("server", "name")),
        SettingDef("auth.session.idle_timeout", int, 30 * DAY,
                   "Seconds a session may stay unused before it expires.", 60, 365 * DAY,
                   from_config=lambda s: s.auth.session_idle_timeout_seconds,
                   config_field=("auth", "session_idle_timeout_seconds")),
        SettingDef("auth.session.absolute_lifetime", int, 90 * DAY,
                   "Seconds after sign-in a session expires regardless of use.", 60, 3650 * DAY,
                   from_config=lambda s: s.auth.session_absolute_lifetime_seconds,
                   config_field=("auth", "session_absolute_lifetime_seconds")),
        SettingDef("auth.session.max_per_user", int, 50,
                   "Most sessions one user keeps; the oldest end beyond this.", 1, 10_000,
                   from_config=lambda s: s.auth.session_max_per_user,
                   config_field=("auth", "session_max_per_user")),
        SettingDef("auth.require_2fa_for_admins", bool, False,
                   "Administrators signing in with a password need two-factor sign-in on to"
                   " use administrator actions."),
        SettingDef("auth.registration_enabled", bool, False,
                   "Whether anyone may create an account (POST /api/v1/auth/register).",
                   public=True),
        SettingDef("auth.registration_invite_code", str, "",
                   "When set, registering needs this code (empty: no code needed).", 0, 200),
        SettingDef("scanning.interval_hours", int, 12,
                   "Hours between full scans of every enabled library (0 turns them off).",
                   0, 24 * 30, from_config=lambda s: math.ceil(s.scanning.interval_hours),
                   config_field=("scanning", "interval_hours")),
        SettingDef("scanning.realtime", bool, True,
                   "Watch library folders and scan changed folders as they change.",
                   from_config=lambda s: s.scanning.realtime,
                   config_field=("scanning", "realtime")),
        SettingDef("metadata.auto_fetch", bool, True,
                   "Fetch metadata for items that scans add or change."),
        SettingDef("metadata.refresh_after_days", int, 30,
                   "Days after which metadata is fetched again.", 1, 3650),
        SettingDef("metadata.language", str, "en-US",
                   "Preferred metadata language (BCP 47, e.g. en-US).",
                   pattern=r"[a-z]{2,3}(-[A-Z]{2})?", public=True),
        SettingDef("transcoding.max_concurrent", int, 2,
                   "HLS sessions (remux or transcode) at once on the whole cluster"
                   " (0 disables them; direct play is never limited).", 0, 64),
        SettingDef("transcoding.audio_max_concurrent", int, 8,
                   "Audio conversions for phones allowed at once on each server process"
                   " (0: audio is only sent as it is).", 0, 256),
        SettingDef("subsonic.plain_passwords", bool, False,
                   "Accept Subsonic app passwords sent in plain text (p=) over plain HTTP;"
                   " over HTTPS they are always accepted."),
        SettingDef("maintenance.mode", bool, False,
                   "Only administrators may use the server while on.", public=True),
        SettingDef("activity.retention_days", int, 90,
                   "Days activity-log entries are kept.", 1, 3650),
        SettingDef("security.trusted_proxies", list[str], [],
                   "Proxy addresses/networks whose X-Forwarded-For is trusted.", 0, 100,
                   restart_required=True, item_check=_cidr,
                   from_config=lambda s: s.server.trusted_proxies,
                   config_field=("server", "trusted_proxies")),
        SettingDef("http.outbound_allowlist", list[str], [],
                   "Host names (nas.lan, *.lan) and IP networks (10.0.0.0/8) that webhooks and"
                   " artwork URLs may reach even when private.", 0, 200,
                   item_check=validate_allowlist_entry,
                   from_config=lambda s: s.http.outbound_allowlist,
                   config_field=("http", "outbound_allowlist")),
    ]  # fmt: skip


REGISTRY: dict[str, SettingDef] = {d.key: d for d in _defs()}


def value_schema(setting: SettingDef) -> dict[str, Any]:
    """What a value of this setting looks like, as JSON Schema (item checks aside)."""
    if setting.type is bool:
        schema: dict[str, Any] = {"type": "boolean"}
    elif setting.type is int:
        schema = {"type": "integer"}
        _bounds(schema, setting, "minimum", "maximum")
    elif setting.type is float:
        schema = {"type": "number"}
        _bounds(schema, setting, "minimum", "maximum")
    elif setting.type is str:
        schema = {"type": "string"}
        _bounds(schema, setting, "minLength", "maxLength")
        if setting.pattern is not None:
            schema["pattern"] = f"^(?:{setting.pattern})$"
    else:
        schema = {"type": "array", "items": {"type": "string"}}
        _bounds(schema, setting, "minItems", "maxItems")
    if setting.choices is not None:
        schema["enum"] = list(setting.choices)
    schema["description"] = setting.description
    return schema


def _bounds(schema: dict[str, Any], setting: SettingDef, low: str, high: str) -> None:
    if setting.minimum is not None:
        schema[low] = int(setting.minimum) if low != "minimum" else setting.minimum
    if setting.maximum is not None:
        schema[high] = int(setting.maximum) if high != "maximum" else setting.maximum


def definition(key: str) -> SettingDef:
    """The definition of `key`; KeyError for unknown keys."""
    return REGISTRY[key]


def register(setting: SettingDef) -> None:
    """Add a feature's own setting (keys are unique)."""
    if setting.key in REGISTRY:
        raise ValueError(f"setting {setting.key!r} registered twice")
    REGISTRY[setting.key] = setting
