"""The catalogue's `ImageLinker`: remembers which stored image is an item's poster, backdrop..."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from revenge.catalog.registry import KINDS
from revenge.images import repository

log = logging.getLogger(__name__)

# Item kinds whose images are linked (and people's photos); the item id part of a target is
# `<kind>:<uuid>`.
LINKED_KINDS = frozenset({*KINDS.names(lambda k: k.images), "person"})


def parse_target(target: dict[str, Any]) -> tuple[str, uuid.UUID, str] | None:
    """(item kind, item id, image kind) of a download target; None when it names no item."""
    item_kind, _, raw = str(target.get("item_id", "")).partition(":")
    kind = str(target.get("kind", ""))
    if item_kind not in LINKED_KINDS or not kind or len(kind) > 16:
        return None
    try:
        return item_kind, uuid.UUID(raw), kind
    except ValueError:
        return None


class ItemImageLinker:
    """Links a downloaded image to the item of the `images.download` target."""

    async def link(
        self, session: AsyncSession, target: dict[str, Any], image_id: uuid.UUID
    ) -> None:
        parsed = parse_target(target)
        if parsed is None:
            log.info("image %s: target %r names no catalogue item", image_id, target)
            return
        item_kind, item_id, kind = parsed
        await repository.link_item_image(session, item_kind, item_id, kind, image_id)
