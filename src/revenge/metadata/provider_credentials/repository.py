"""SQL for provider credentials (values are sealed before they reach this module)."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.infra.db import rows
from revenge.metadata.provider_credentials.models import ProviderCredential


async def list_all(session: AsyncSession) -> list[ProviderCredential]:
    rows = await session.execute(select(ProviderCredential).order_by(ProviderCredential.service))
    return list(rows.scalars())


async def find(session: AsyncSession, service: str) -> ProviderCredential | None:
    row = await session.execute(
        select(ProviderCredential).where(ProviderCredential.service == service)
    )
    return row.scalar_one_or_none()


async def upsert(
    session: AsyncSession, service: str, sealed: bytes, key_id: str, user_id: uuid.UUID | None
) -> ProviderCredential:
    values = {"service": service, "encrypted_value": sealed, "key_id": key_id}
    upsert_stmt = rows.upsert(
        ProviderCredential,
        "service",
        {**values, "created_by": user_id},
        keep=("created_by",),
        updated_at=text("now()"),
    ).returning(ProviderCredential)
    result = await session.execute(upsert_stmt, execution_options={"populate_existing": True})
    row: ProviderCredential = result.scalar_one()
    return row


async def remove(session: AsyncSession, service: str) -> bool:
    result = await session.execute(
        delete(ProviderCredential)
        .where(ProviderCredential.service == service)
        .returning(ProviderCredential.id)
    )
    return result.first() is not None


async def touch(session: AsyncSession, service: str) -> None:
    """Record use, at most once a minute (reads stay cheap under load)."""
    await session.execute(
        update(ProviderCredential)
        .where(
            ProviderCredential.service == service,
            text("(last_used_at IS NULL OR last_used_at < now() - interval '60 seconds')"),
        )
        .values(last_used_at=text("now()"))
    )
