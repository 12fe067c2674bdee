"""All SQL of OIDC providers and sign-in flows."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.accounts.models import OidcFlow, OidcProvider
from revenge.infra.db.rows import add_row


async def list_providers(session: AsyncSession, *, enabled_only: bool) -> Sequence[OidcProvider]:
    stmt = select(OidcProvider).order_by(OidcProvider.name)
    if enabled_only:
        stmt = stmt.where(OidcProvider.enabled.is_(True))
    return (await session.execute(stmt)).scalars().all()


async def get_provider(session: AsyncSession, provider_id: uuid.UUID) -> OidcProvider | None:
    return await session.get(OidcProvider, provider_id)


async def provider_by_name(session: AsyncSession, name: str) -> OidcProvider | None:
    stmt = select(OidcProvider).where(OidcProvider.name == name)
    return (await session.execute(stmt)).scalar_one_or_none()


async def save(session: AsyncSession, provider: OidcProvider) -> OidcProvider:
    return await add_row(session, provider)


async def delete_provider(session: AsyncSession, provider: OidcProvider) -> None:
    await session.delete(provider)
    await session.flush()


async def add_flow(session: AsyncSession, flow: OidcFlow) -> None:
    session.add(flow)
    await session.flush()


async def take_flow(session: AsyncSession, kind: str, key_hash: bytes) -> OidcFlow | None:
    """Remove and return an unexpired flow: each state and login code works once."""
    stmt = (
        delete(OidcFlow)
        .where(
            OidcFlow.key_hash == key_hash,
            OidcFlow.kind == kind,
            OidcFlow.expires_at > func.now(),
        )
        .returning(OidcFlow)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def delete_expired_flows(session: AsyncSession) -> int:
    result = await session.execute(delete(OidcFlow).where(OidcFlow.expires_at < datetime.now(UTC)))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
