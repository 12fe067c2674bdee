"""uvicorn's HTTP/1.1 protocol, starting chosen requests' handlers at once (eager tasks).

uvicorn makes every request a task: created, scheduled, run on the loop's next turn, then
discarded. For the requests an application names (`eligible`), this protocol runs the
handler right away instead, until it first has to wait; only then does the rest become a
task. A handler that never waits costs no task and no turn of the loop: for a range of a
file kept open, about a tenth of the request's CPU. This is what Python 3.12's
`asyncio.eager_task_factory` does, written here for the 3.11 this project supports.

Until it first waits, such a handler runs outside any task: `asyncio.current_task()` is None,
so `asyncio.timeout`, anyio's cancel scopes and with them FastAPI's dependencies cannot run
there. An eligible handler that needs them first lets the loop turn (`in_a_task`).

The handler runs while uvicorn is still parsing the data that held the request. So an answer
can be finished before the next request in the same data is read, and arm the keep-alive
timer (uvicorn would otherwise have queued that request behind the first and armed nothing):
the timer is cancelled as each request starts, as it is when data arrives. And each request
starts from the context its connection began in: a request queued behind another starts
inside that one's answer, and would otherwise see what it left.
"""

from __future__ import annotations

import asyncio
import contextvars
import socket
import types
from collections.abc import Callable, Coroutine, Generator
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

Eligible = Callable[[dict[str, Any]], bool]
# The scope key under which an eligible request finds its connection (`Connection`).
CONNECTION = "revenge.connection"


def eager_protocol(eligible: Eligible) -> type[HttpToolsProtocol]:
    """uvicorn's httptools protocol, starting the requests `eligible` takes eagerly."""
    return type("EagerHttpToolsProtocol", (_EagerProtocol,), {"eligible": staticmethod(eligible)})


async def in_a_task() -> None:
    """Make sure what follows runs inside a task (see the module)."""
    if asyncio.current_task() is None:
        await asyncio.sleep(0)


class Connection:
    """What an eligible request may use of its connection beyond ASGI (`CONNECTION`)."""

    def __init__(self, transport: asyncio.Transport) -> None:
        self._transport = transport
        self._sender: socket.socket | None = None
        # What the application keeps with the connection from one request to the next.
        self.memo: object = None

    def sender(self) -> socket.socket:
        """A socket for the connection, for the sends its transport cannot make (flags)."""
        # One duplicate of the descriptor for the connection's life, not a socket object per
        # answer (2 us each). It is closed with the connection: while open it would keep the
        # connection open after the transport closed its own descriptor.
        if self._sender is None:
            self._sender = self._transport.get_extra_info("socket").dup()
        return self._sender

    def close(self) -> None:
        if self._sender is not None:
            self._sender.close()
            self._sender = None


class _EagerProtocol(HttpToolsProtocol):
    eligible: Eligible
    _base_context: contextvars.Context
    _connection: Connection

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        reset: bool = self.config.reset_contextvars
        self._base_context = contextvars.Context() if reset else contextvars.copy_context()
        self._connection = Connection(transport)

    def connection_lost(self, exc: Exception | None) -> None:
        self._connection.close()
        super().connection_lost(exc)

    def _start_asgi_task(self, cycle: Any, app: Any) -> None:
        cycle.scope[CONNECTION] = self._connection
        if not self.eligible(cycle.scope):
            super()._start_asgi_task(cycle, app)
            return
        self._unset_keepalive_if_required()
        # Each request starts from the context the connection began in, never from the one a
        # previous handler left (a pipelined request starts inside that handler's answer).
        context = self._base_context.copy()
        coro = cycle.run_asgi(app)
        # A request queued behind another starts inside that one's task: it must not run as
        # part of it (asyncio.current_task would name the other), so it becomes a task.
        if asyncio.current_task() is None:
            try:
                waiting_on = context.run(coro.send, None)
            except StopIteration:
                return  # answered without waiting
            coro = _resume(coro, waiting_on)
        task = self.loop.create_task(coro, context=context)
        task.add_done_callback(self.tasks.discard)
        self.tasks.add(task)


async def _resume(coro: Coroutine[Any, Any, Any], waiting_on: Any) -> Any:
    return await _go_on(coro, waiting_on)


@types.coroutine
def _go_on(coro: Coroutine[Any, Any, Any], waiting_on: Any) -> Generator[Any, Any, Any]:
    """Drive `coro` on from where it first waited: what it waits on goes up to the task, and
    what the task sends or throws (a result, a cancellation) goes down to it."""
    while True:
        try:
            try:
                sent = yield waiting_on
            except BaseException as exc:  # the task's cancellation included
                waiting_on = coro.throw(exc)
            else:
                waiting_on = coro.send(sent)
        except StopIteration as done:
            return done.value
