"""Server-settings API: admins read and change all; anyone reads the public subset."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Path
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.api.audit import Audit
from revenge.api.deps import AdminUser, DbSession, RuntimeDep
from revenge.errors import NotFound, Unprocessable
from revenge.server_settings.registry import InvalidSetting
from revenge.server_settings.schemas import SettingOut, SettingsPatch, SettingValue, known_keys
from revenge.server_settings.service import SettingChange, UnknownSetting

if TYPE_CHECKING:
    from revenge.runtime import Runtime

router = APIRouter(tags=["settings"])

Key = Annotated[str, Path(max_length=200, json_schema_extra=known_keys)]


@router.get("/api/v1/settings/public")
async def public_settings(runtime: RuntimeDep) -> dict[str, Any]:
    """Settings any client may read (server name, registration, maintenance, ...)."""
    resolved = await runtime.server_settings.get_all(public_only=True)
    return {r.definition.key: r.value for r in resolved}


@router.get("/api/v1/admin/settings")
async def list_settings(_: AdminUser, runtime: RuntimeDep) -> list[SettingOut]:
    """Every setting with its value, where it comes from, default and bounds."""
    return [SettingOut.of(r) for r in await runtime.server_settings.get_all()]


@router.get("/api/v1/admin/settings/{key}")
async def get_setting(key: Key, _: AdminUser, runtime: RuntimeDep) -> SettingOut:
    try:
        return SettingOut.of(await runtime.server_settings.resolve(key))
    except UnknownSetting:
        raise NotFound(f"No setting named {key!r}.") from None


def _audit(audit: Audit, changes: list[SettingChange]) -> None:
    audit.module, audit.resource_type = "settings", "setting"
    audit.details["changes"] = [{"key": c.key, "old": c.old, "new": c.new} for c in changes]
    if len(changes) == 1:
        audit.resource_id = changes[0].key


async def _announce(runtime: Runtime, session: AsyncSession, changes: list[SettingChange]) -> None:
    """A live `settings.changed` for each key (the value is read back by who may)."""
    for change in changes:
        await runtime.events.settings_changed(session, change.key)


@router.put("/api/v1/admin/settings/{key}")
async def set_setting(
    key: Key,
    body: SettingValue,
    user: AdminUser,
    session: DbSession,
    runtime: RuntimeDep,
    audit: Audit,
) -> SettingOut:
    """Store a value (validated; 422 names the key when it does not fit)."""
    try:
        change = await runtime.server_settings.set(session, key, body.value, user.user_id)
    except UnknownSetting:
        raise NotFound(f"No setting named {key!r}.") from None
    except InvalidSetting as exc:
        raise Unprocessable(str(exc), key=exc.key, field="value") from None
    _audit(audit, [change])
    await _announce(runtime, session, [change])
    resolved = await runtime.server_settings.resolve(key)
    return SettingOut.of(resolved).model_copy(update={"value": change.new, "source": "stored"})


@router.patch("/api/v1/admin/settings")
async def set_settings(
    body: SettingsPatch, user: AdminUser, session: DbSession, runtime: RuntimeDep, audit: Audit
) -> dict[str, Any]:
    """Store several values in one transaction: all or none."""
    changes: list[SettingChange] = []
    for key, value in body.values.items():
        try:
            changes.append(await runtime.server_settings.set(session, key, value, user.user_id))
        except UnknownSetting:
            raise Unprocessable(f"{key}: no such setting", key=key, field="values") from None
        except InvalidSetting as exc:
            raise Unprocessable(str(exc), key=exc.key, field="values") from None
    _audit(audit, changes)
    await _announce(runtime, session, changes)
    return {c.key: c.new for c in changes}


@router.delete("/api/v1/admin/settings/{key}")
async def reset_setting(
    key: Key, user: AdminUser, session: DbSession, runtime: RuntimeDep, audit: Audit
) -> SettingOut:
    """Forget the stored value: the config file/environment or default applies again."""
    try:
        change = await runtime.server_settings.reset(session, key, user.user_id)
    except UnknownSetting:
        raise NotFound(f"No setting named {key!r}.") from None
    _audit(audit, [change])
    await _announce(runtime, session, [change])
    resolved = await runtime.server_settings.resolve(key)
    return SettingOut.of(resolved).model_copy(update={"value": change.new, "source": change.source})
