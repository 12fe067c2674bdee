"""Keyset paging for the browse lists: an opaque cursor holding the sort key and the row id."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, or_
from starlette.requests import Request

from revenge.errors import BadRequest

# Query parameters every browse list understands, besides its own filters.
PAGING_KEYS = frozenset({"sort", "order", "limit", "offset", "cursor", "library_id"})
_SCALARS = (str, int, float, type(None))


@dataclass(frozen=True)
class Cursor:
    """Where the previous page ended: its sort, direction, last sort value and last id."""

    sort: str
    descending: bool
    value: Any
    last_id: uuid.UUID

    def encode(self) -> str:
        value, tag = self.value, None
        if isinstance(value, datetime):
            value, tag = value.isoformat(), "dt"
        raw = json.dumps([self.sort, self.descending, value, tag, str(self.last_id)])
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(token: str, sort: str, descending: bool) -> Cursor:
    """The cursor a client sent back; 400 when it is damaged or from another sort."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        name, desc, value, tag, last_id = json.loads(raw)
        # Only what `encode` writes: anything else would reach SQL as a bind value.
        if not isinstance(value, _SCALARS) or not isinstance(last_id, str):
            raise ValueError("not a cursor")
        if tag == "dt":
            value = datetime.fromisoformat(str(value))
        cursor = Cursor(str(name), bool(desc), value, uuid.UUID(last_id))
    except (ValueError, TypeError, binascii.Error):
        raise BadRequest("Invalid cursor.") from None
    if cursor.sort != sort or cursor.descending != descending:
        raise BadRequest("The cursor belongs to another sort or order.")
    return cursor


def after(key: Any, id_col: Any, cursor: Cursor) -> ColumnElement[bool]:
    """Rows after the cursor in `key, id` order, NULL keys last whatever the direction."""
    _check_value(key, cursor.value)
    past_id = id_col < cursor.last_id if cursor.descending else id_col > cursor.last_id
    if cursor.value is None:
        return and_(key.is_(None), past_id)
    past = key < cursor.value if cursor.descending else key > cursor.value
    return or_(past, and_(key == cursor.value, past_id), key.is_(None))


def _check_value(key: Any, value: Any) -> None:
    """400 unless the cursor's value has the sort key's type: SQL would refuse to compare."""
    if value is None:
        return
    try:
        expected = key.type.python_type
    except (AttributeError, NotImplementedError):
        return
    accepted = (int, float) if expected is float else (expected,)
    if isinstance(value, bool) or not isinstance(value, accepted):
        raise BadRequest("Invalid cursor.")


def order_by(key: Any, id_col: Any, descending: bool) -> list[Any]:
    if descending:
        return [key.desc().nulls_last(), id_col.desc()]
    return [key.asc().nulls_last(), id_col.asc()]


def clamp_limit(limit: int) -> int:
    """Page sizes outside 1..500 are brought into range rather than refused."""
    return max(1, min(500, limit))


def check_keys(request: Request, sort: str, sorts: Iterable[str], filters: Iterable[str]) -> None:
    """400 naming the first unknown query parameter or sort key."""
    known = PAGING_KEYS | set(filters)
    for key in request.query_params:
        if key not in known:
            raise BadRequest(f"Unknown filter '{key}'.", key=key)
    if sort not in set(sorts):
        raise BadRequest(f"Unknown sort '{sort}'.", key=sort)
