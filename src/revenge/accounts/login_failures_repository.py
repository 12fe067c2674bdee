"""SQL of failed sign-ins (`login_failures`): the database's count when Redis is absent."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.accounts.models import LoginFailure


async def add(session: AsyncSession, account: str, ip: str | None) -> None:
    session.add(LoginFailure(account=account, ip_address=ip))
    await session.flush()


async def counts(
    session: AsyncSession, now: datetime, account: str | None, ip: str | None, *, exact_ip: bool
) -> tuple[int, int]:
    """Failures in the minute and in the hour before `now`, of the account and/or address
    (`exact_ip` with no address: those recorded without one)."""
    recent = LoginFailure.created_at > now - timedelta(minutes=1)
    stmt = select(func.count().filter(recent), func.count()).where(
        LoginFailure.created_at > now - timedelta(hours=1)
    )
    if account is not None:
        stmt = stmt.where(LoginFailure.account == account)
    if ip is not None:
        stmt = stmt.where(LoginFailure.ip_address == ip)
    elif exact_ip:
        stmt = stmt.where(LoginFailure.ip_address.is_(None))
    minute, hour = (await session.execute(stmt)).one()
    return int(minute), int(hour)


async def delete_before(session: AsyncSession, cutoff: datetime) -> int:
    result = await session.execute(delete(LoginFailure).where(LoginFailure.created_at < cutoff))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
