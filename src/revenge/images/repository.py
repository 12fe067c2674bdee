"""All SQL of the images feature."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.images.models import Image, ImageSource
from revenge.images.processing import ImageFacts


async def get_image(session: AsyncSession, image_id: uuid.UUID) -> Image | None:
    return await session.get(Image, image_id)


async def upsert_image(session: AsyncSession, facts: ImageFacts) -> uuid.UUID:
    """The id of the image with this content, inserting it the first time it is seen."""
    statement = (
        insert(Image)
        .values(
            content_hash=facts.content_hash,
            format=facts.format,
            width=facts.width,
            height=facts.height,
            size_bytes=facts.size_bytes,
            blurhash=facts.blurhash,
            dominant_color=facts.dominant_color,
        )
        .on_conflict_do_nothing(index_elements=[Image.content_hash])
        .returning(Image.id)
    )
    inserted = (await session.execute(statement)).scalar_one_or_none()
    if inserted is not None:
        return inserted
    existing = await session.execute(
        select(Image.id).where(Image.content_hash == facts.content_hash)
    )
    return existing.scalar_one()


async def record_source(
    session: AsyncSession,
    source: str,
    status: str,
    reason: str | None = None,
    image_id: uuid.UUID | None = None,
) -> None:
    """Remember the outcome of one URL or file; a retry updates the same row."""
    statement = insert(ImageSource).values(
        source=source, status=status, reason=reason, image_id=image_id
    )
    statement = statement.on_conflict_do_update(
        index_elements=[ImageSource.source],
        set_={
            "status": statement.excluded.status,
            "reason": statement.excluded.reason,
            "image_id": statement.excluded.image_id,
            "attempts": ImageSource.attempts + 1,
            "updated_at": func.now(),
        },
    )
    await session.execute(statement)


async def get_source(session: AsyncSession, source: str) -> ImageSource | None:
    result = await session.execute(select(ImageSource).where(ImageSource.source == source))
    return result.scalar_one_or_none()
