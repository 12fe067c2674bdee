"""All SQL of the images feature."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.images.models import Image, ImageSource, ItemImage
from revenge.images.processing import ImageFacts
from revenge.infra.db.rows import upsert


async def library_roots(session: AsyncSession) -> list[str]:
    """Every library folder: local artwork is read only from inside one of them."""
    return [str(p) for p in (await session.scalars(text("SELECT path FROM library_paths"))).all()]


async def get_image(session: AsyncSession, image_id: uuid.UUID) -> Image | None:
    return await session.get(Image, image_id)


async def upsert_image(session: AsyncSession, facts: ImageFacts) -> uuid.UUID:
    """The id of the image with this content, inserting it the first time it is seen."""
    statement = (
        insert(Image)
        .values(**asdict(facts))
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
    statement = upsert(
        ImageSource,
        "source",
        {"source": source, "status": status, "reason": reason, "image_id": image_id},
        attempts=ImageSource.attempts + 1,
        updated_at=func.now(),
    )
    await session.execute(statement)


async def get_source(session: AsyncSession, source: str) -> ImageSource | None:
    result = await session.execute(select(ImageSource).where(ImageSource.source == source))
    return result.scalar_one_or_none()


async def link_item_image(
    session: AsyncSession, item_kind: str, item_id: uuid.UUID, kind: str, image_id: uuid.UUID
) -> None:
    """Make `image_id` the item's image of this kind, replacing the previous one."""
    statement = insert(ItemImage).values(
        item_kind=item_kind, item_id=item_id, kind=kind, image_id=image_id
    )
    statement = statement.on_conflict_do_update(
        index_elements=[ItemImage.item_kind, ItemImage.item_id, ItemImage.kind],
        set_={"image_id": statement.excluded.image_id, "updated_at": func.now()},
    )
    await session.execute(statement)


async def item_images(
    session: AsyncSession, item_kind: str, item_id: uuid.UUID
) -> Sequence[tuple[str, Image]]:
    """(kind, image) pairs linked to one item, by kind."""
    statement = (
        select(ItemImage.kind, Image)
        .join(Image, Image.id == ItemImage.image_id)
        .where(ItemImage.item_kind == item_kind, ItemImage.item_id == item_id)
        .order_by(ItemImage.kind)
    )
    return [(kind, image) for kind, image in (await session.execute(statement)).all()]


async def images_of_items(
    session: AsyncSession, item_ids: Sequence[uuid.UUID]
) -> Sequence[tuple[uuid.UUID, str, Image]]:
    """(item id, kind, image) of every image linked to any of these items."""
    statement = (
        select(ItemImage.item_id, ItemImage.kind, Image)
        .join(Image, Image.id == ItemImage.image_id)
        .where(ItemImage.item_id.in_(item_ids))
    )
    return [(i, kind, image) for i, kind, image in (await session.execute(statement)).all()]


async def delete_orphan_links(session: AsyncSession, item_kind: str, items: Any) -> int:
    """Forget links of items of this kind no longer in `items` (their table)."""
    statement = delete(ItemImage).where(
        ItemImage.item_kind == item_kind, ItemImage.item_id.not_in(select(items.c.id))
    )
    result = await session.execute(statement)
    return int(getattr(result, "rowcount", 0) or 0)
