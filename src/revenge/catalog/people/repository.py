"""SQL of people and credits."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog.people.models import ItemPerson, Person
from revenge.images.models import ItemImage


@dataclass(frozen=True)
class Credit:
    """A credit to store: who (by key, with what is known of them) and as what."""

    key: str
    name: str
    role: str
    character: str | None
    ids: dict[str, str]
    image_url: str | None


@dataclass(frozen=True)
class CreditRow:
    person_id: uuid.UUID
    name: str
    role: str
    character: str | None
    position: int
    image_url: str | None
    photo_id: uuid.UUID | None = None


async def _upsert_people(session: AsyncSession, credits: Sequence[Credit]) -> dict[str, uuid.UUID]:
    rows: dict[str, dict[str, Any]] = {}
    for c in credits:
        rows.setdefault(
            c.key,
            {
                "key": c.key,
                "name": c.name,
                "image_url": c.image_url,
                **{f"{k}_id": v for k, v in c.ids.items()},
            },
        )
    if not rows:
        return {}
    columns = ("tmdb_id", "tvdb_id", "imdb_id", "musicbrainz_id", "image_url")
    for row in rows.values():
        for column in columns:
            row.setdefault(column, None)
    # Only new people and changed ones are written. An upsert locks every row it meets,
    # changed or not, until the transaction ends: items sharing actors (the episodes of a
    # series, a studio's films) were saved one after another, waiting on each other's
    # locks, and two casts in different orders could deadlock. Written in key order, so
    # writers that do meet take their locks in the same order.
    known = await session.execute(
        select(Person.key, Person.id, Person.name, *(Person.__table__.c[c] for c in columns))
        .where(Person.key.in_(list(rows)))
    )  # fmt: skip
    ids: dict[str, uuid.UUID] = {}
    for found in known.mappings():
        wanted = rows[found["key"]]
        if wanted["name"] == found["name"] and all(
            wanted[c] is None or wanted[c] == found[c] for c in columns
        ):
            ids[found["key"]] = found["id"]
    values = [rows[key] for key in sorted(rows) if key not in ids]
    if not values:
        return ids
    base = insert(Person).values(values)
    # A later source may know more about a person (a photo, another id); keep what is known.
    stmt = base.on_conflict_do_update(
        index_elements=[Person.key],
        set_={
            "name": base.excluded.name,
            **{c: func.coalesce(base.excluded[c], Person.__table__.c[c]) for c in columns},
            "updated_at": func.now(),
        },
    ).returning(Person.key, Person.id)
    return ids | {key: pid for key, pid in (await session.execute(stmt)).all()}


async def replace_credits(
    session: AsyncSession, item_kind: str, item_id: uuid.UUID, credits: Sequence[Credit]
) -> None:
    """The item's credits become exactly `credits`, in that order."""
    ids = await _upsert_people(session, credits)
    await session.execute(
        delete(ItemPerson).where(ItemPerson.item_kind == item_kind, ItemPerson.item_id == item_id)
    )
    rows = [
        {
            "item_kind": item_kind, "item_id": item_id, "position": n,
            "person_id": ids[c.key], "role": c.role, "character": c.character,
        }
        for n, c in enumerate(credits)
    ]  # fmt: skip
    if rows:
        await session.execute(insert(ItemPerson).values(rows))


def _photo_of(person_id: Any) -> Any:
    return (
        select(ItemImage.image_id)
        .where(
            ItemImage.item_kind == "person",
            ItemImage.item_id == person_id,
            ItemImage.kind == "photo",
        )
        .scalar_subquery()
    )


async def credits_of(session: AsyncSession, item_kind: str, item_id: uuid.UUID) -> list[CreditRow]:
    stmt = (
        select(ItemPerson, Person.name, Person.image_url, _photo_of(Person.id))
        .join(Person, Person.id == ItemPerson.person_id)
        .where(ItemPerson.item_kind == item_kind, ItemPerson.item_id == item_id)
        .order_by(ItemPerson.position)
    )
    return [
        CreditRow(ip.person_id, name, ip.role, ip.character, ip.position, image, photo)
        for ip, name, image, photo in (await session.execute(stmt)).all()
    ]


async def photos_to_fetch(
    session: AsyncSession, item_kind: str, item_id: uuid.UUID
) -> list[tuple[uuid.UUID, str]]:
    """(person id, photo URL) of the item's credited people whose photo is not stored yet."""
    stmt = (
        select(Person.id, Person.image_url)
        .join(ItemPerson, ItemPerson.person_id == Person.id)
        .where(
            ItemPerson.item_kind == item_kind,
            ItemPerson.item_id == item_id,
            Person.image_url.is_not(None),
            _photo_of(Person.id).is_(None),
        )
        .distinct()
    )
    return [(pid, str(url)) for pid, url in (await session.execute(stmt)).all()]


async def delete_orphan_credits(session: AsyncSession, item_kind: str, items: Any) -> int:
    """Credits of items of `item_kind` whose row in `items` (a table) is gone."""
    gone = ~select(items.c.id).where(items.c.id == ItemPerson.item_id).exists()
    result = await session.execute(
        delete(ItemPerson).where(ItemPerson.item_kind == item_kind, gone)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def credited_names(kind: str) -> str:
    """SQL of the names credited on the row `m` of `kind`, in billing order (`kind` is a
    trusted constant), for search documents."""
    return f"""(SELECT string_agg(p.name, ' ' ORDER BY ip.position) FROM item_people ip
               JOIN people p ON p.id = ip.person_id
               WHERE ip.item_kind = '{kind}' AND ip.item_id = m.id)"""
