"""The Subsonic methods by name, and what each handler gets: `Ctx`."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from revenge.compat.subsonic.params import Params
from revenge.compat.subsonic.protocol import Payload, not_found
from revenge.identity import Principal

if TYPE_CHECKING:
    from revenge.runtime import Runtime


@dataclass
class Ctx:
    runtime: Runtime
    request: Request
    params: Params
    principal: Principal
    session: AsyncSession
    allowed: set[uuid.UUID] | None

    @property
    def user_id(self) -> uuid.UUID:
        return self.principal.user_id

    async def named(self, kind: str, label: str, lookup: Lookup) -> Any:
        """What `lookup(session, allowed, user id, id)` answers for the `id` parameter (an id
        of `kind`); absent, hidden or empty: not found, as `label`."""
        _, item_id = self.params.item("id", kind)
        found = await lookup(self.session, self.allowed, self.user_id, item_id)
        if not found:
            raise not_found(label)
        return found


# (session, visible libraries, user id, item id) -> the item, or nothing when absent.
Lookup = Callable[[AsyncSession, set[uuid.UUID] | None, uuid.UUID, uuid.UUID], Awaitable[Any]]


Handler = Callable[[Ctx], Awaitable[Payload | Response]]


@dataclass(frozen=True)
class Method:
    handler: Handler
    write: bool = False
    # Streams open their own short transaction: no connection is held while bytes flow.
    transaction: bool = True
    public: bool = False


METHODS: dict[str, Method] = {}


def method(
    name: str, *, write: bool = False, transaction: bool = True, public: bool = False
) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        METHODS[name] = Method(handler, write, transaction, public)
        return handler

    return register
