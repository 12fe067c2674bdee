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

An application may also answer a connection's next request from its bytes alone, before
uvicorn parses them (`Connection.shortcut`): a player's next range is the bytes of its last
request but for the range, and parsing them again, with the scope, the cycle and the ASGI
call made from them, was a quarter of such a request's CPU. The protocol offers the shortcut
only what arrives between requests (nothing being answered, queued or half parsed); an
answer that has to wait holds what arrives meanwhile, as uvicorn queues a pipelined request.
"""

from __future__ import annotations

import asyncio
import contextvars
import socket
import types
from collections.abc import Callable, Coroutine, Generator
from typing import Any, cast

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

Eligible = Callable[[dict[str, Any]], bool]
# Given the bytes that arrived: True once it has answered the request they hold, False to
# have uvicorn parse them (not a request it recognises, or one it leaves to the app), or what
# finishes its answer, without a task until then (True once answered, or False).
Shortcut = Callable[[bytes], bool | Coroutine[Any, Any, bool]]
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

    def __init__(self, transport: asyncio.Transport, server_state: ServerState) -> None:
        self.transport = transport
        self._server_state = server_state
        self._sender: socket.socket | None = None
        # What the application keeps with the connection from one request to the next.
        self.memo: object = None
        self.shortcut: Shortcut | None = None
        # The bytes the request being parsed arrived in (and maybe others): what the
        # application can make a shortcut from.
        self.received = b""

    @property
    def default_headers(self) -> list[tuple[bytes, bytes]]:
        """The headers uvicorn adds to every response (`server`, `date`): uvicorn's own list,
        replaced each second, not to be changed."""
        return self._server_state.default_headers

    def sender(self) -> socket.socket:
        """A socket for the connection, for the sends its transport cannot make (flags)."""
        # One duplicate of the descriptor for the connection's life, not a socket object per
        # answer (2 us each). It is closed with the connection: while open it would keep the
        # connection open after the transport closed its own descriptor.
        if self._sender is None:
            self._sender = self.transport.get_extra_info("socket").dup()
        return self._sender

    def close(self) -> None:
        if self._sender is not None:
            self._sender.close()
            self._sender = None


class _EagerProtocol(HttpToolsProtocol):
    eligible: Eligible
    _base_context: contextvars.Context
    _connection: Connection
    _in_message = False  # the parser has begun a request and not yet ended it
    _held: list[bytes] | None = None  # what arrived while a shortcut's answer waited
    _closing = False  # the server is shutting down: no request after the one being answered
    # The keep-alive timer while shortcuts answer (`_answered_at_once`), and since when the
    # connection has been idle.
    _idle_timer: asyncio.TimerHandle | None = None
    _idle_since = 0.0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        reset: bool = self.config.reset_contextvars
        self._base_context = contextvars.Context() if reset else contextvars.copy_context()
        self._connection = Connection(transport, self.server_state)

    def data_received(self, data: bytes) -> None:
        if self._held is not None:
            self._held.append(data)
            return
        shortcut = self._connection.shortcut
        if shortcut is not None and self._between_requests():
            if self.timeout_keep_alive_task is not self._idle_timer:
                self._unset_keepalive_if_required()  # uvicorn's, which would not wait longer
            try:
                answering = shortcut(data)
            except Exception:
                self._shortcut_failed()
                return
            if answering is True:
                self._answered_at_once()
                return
            self._unset_keepalive_if_required()
            if answering is not False:
                self._run_shortcut(answering, data)
                return
        self._parse(data)

    def _answered_at_once(self) -> None:
        """What uvicorn does once a response is complete (`on_response_complete`), for an
        answer a shortcut gave without waiting: it is counted, and the connection closes
        once idle for the keep-alive timeout. A player's ranges come by the hundred, so the
        timer is one per connection, waiting on (`_idle_timer`), not made and cancelled for
        each (5 us a request)."""
        self.server_state.total_requests += 1
        if self.transport.is_closing():
            return
        self._idle_since = self.loop.time()
        if self.timeout_keep_alive_task is None:
            due = self.loop.call_later(self.timeout_keep_alive, self._idle_timer_due)
            self.timeout_keep_alive_task = self._idle_timer = due

    def _idle_timer_due(self) -> None:
        self.timeout_keep_alive_task = self._idle_timer = None
        idle = self.loop.time() - self._idle_since
        if idle < self.timeout_keep_alive:  # a shortcut answered meanwhile: wait on
            due = self.loop.call_later(self.timeout_keep_alive - idle, self._idle_timer_due)
            self.timeout_keep_alive_task = self._idle_timer = due
        else:
            self.timeout_keep_alive_handler()

    def _parse(self, data: bytes) -> None:
        self._connection.received = data
        super().data_received(data)

    def _between_requests(self) -> bool:
        cycle = self.cycle
        idle = cycle is None or cycle.response_complete
        return idle and not self._in_message and not self.pipeline

    def on_message_begin(self) -> None:
        self._in_message = True
        super().on_message_begin()

    def on_message_complete(self) -> None:
        self._in_message = False
        super().on_message_complete()

    def _run_shortcut(self, answering: Coroutine[Any, Any, bool], data: bytes) -> None:
        """Finish a shortcut's answer in a task, holding what arrives meanwhile."""
        self._held = []
        self.flow.pause_reading()
        task = self.loop.create_task(answering, context=self._base_context.copy())
        task.add_done_callback(self.tasks.discard)
        task.add_done_callback(lambda done: self._shortcut_resumed(done, data))
        self.tasks.add(cast("asyncio.Task[None]", task))  # what uvicorn waits for on shutdown

    def _shortcut_resumed(self, task: asyncio.Task[bool], data: bytes) -> None:
        held, self._held = self._held or [], None
        self.flow.resume_reading()
        if task.cancelled():  # the server is stopping
            self.transport.close()
            return
        if task.exception() is not None:
            self._shortcut_failed(task.exception())
            return
        if self.transport.is_closing():  # the answer failed, or the client went away
            if task.result():
                self.on_response_complete()  # counted, as uvicorn counts a response
            return
        self._shortcut_ended(task.result(), data)
        if self._closing:
            super().shutdown()
            return
        for chunk in held:
            if self.transport.is_closing():
                return
            self.data_received(chunk)

    def _shortcut_ended(self, answered: bool, data: bytes) -> None:
        if answered:
            self.on_response_complete()  # counted, and the keep-alive timer armed, as uvicorn does
        else:
            self._parse(data)

    def _shortcut_failed(self, exc: BaseException | None = None) -> None:
        """An answer that raised: its response may be half sent, so the connection ends."""
        self.logger.error("A request's answer failed.", exc_info=exc or True)
        self.transport.close()

    def shutdown(self) -> None:
        if self._held is None:
            super().shutdown()
        else:  # a shortcut's answer is under way: the connection ends with it, as uvicorn's
            self._closing = True

    def connection_lost(self, exc: Exception | None) -> None:
        self._connection.close()
        super().connection_lost(exc)

    def handle_websocket_upgrade(self) -> None:
        # The connection goes on with another protocol, whose `connection_lost` is the one
        # called: the socket kept for heads would hold the connection open after it closed.
        self._connection.close()
        super().handle_websocket_upgrade()

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
