"""`ScriptedServer`: a real HTTP/1.1 server on loopback that answers from a script.

The server runs `asyncio.start_server` on its own event loop in a background thread, so one
instance serves sync and async tests alike. Replies are queued with `enqueue` and served in
order; each `Reply` can also inject a transport fault (slow headers, a close before the
headers, a close or a stall in the middle of the body). Every request is recorded, and so is
every client that goes away while a response is still being sent.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import functools
import itertools
import socket
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Coroutine, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from tests.support.http1 import (
    POLL_SECONDS,
    BadRequestError,
    Connection,
    RawRequest,
    body_write,
    response_head,
)
from tests.support.script import (
    NO_JSON,
    Disconnect,
    Handler,
    RecordedRequest,
    Reply,
    parse_json,
    parse_query,
    sse_body,
    sse_event,
)

if TYPE_CHECKING:
    from tests.support.recordings import Recording

__all__ = [
    "NO_JSON",
    "Disconnect",
    "Handler",
    "RecordedRequest",
    "Reply",
    "ScriptedServer",
    "sse_body",
    "sse_event",
]

HOST = "127.0.0.1"
_MAX_HEAD_BYTES = 1 << 20


class ScriptedServer:
    """An HTTP/1.1 server on 127.0.0.1 that serves queued `Reply`s in order.

    When the queue is empty, `default` (a `Reply` or a `Handler`) answers; without one the
    server answers 500 and, if `strict`, records the request in `errors`. Handlers run on the
    server's own thread. Use as a (sync or async) context manager, or `start()` / `stop()`.
    """

    def __init__(self, default: Reply | Handler | None = None, *, strict: bool = True) -> None:
        self.default = default
        self.strict = strict
        self._queue: deque[Reply | Handler] = deque()
        self._requests: list[RecordedRequest] = []
        self._disconnects: list[Disconnect] = []
        self._errors: list[str] = []
        self._open_connections = 0
        self._connections_accepted = 0
        self._changed = threading.Condition()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.Server | None = None
        self._stopping: asyncio.Event | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._connection_ids = itertools.count(1)
        self._port: int | None = None

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> ScriptedServer:
        """Start the loop thread and listen on an OS-chosen port."""
        if self._thread is not None:
            raise RuntimeError("ScriptedServer already started")
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._thread = threading.Thread(target=loop.run_forever, name="ScriptedServer", daemon=True)
        self._thread.start()
        self._run(self._listen())
        return self

    def stop(self) -> None:
        """Close every connection, stop listening and join the thread (idempotent)."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        try:
            self._run(self._shutdown())
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=5)
            loop.close()
            self._loop = self._thread = None

    def __enter__(self) -> ScriptedServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    async def __aenter__(self) -> ScriptedServer:
        return self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _run(self, coro: Coroutine[Any, Any, None]) -> None:
        assert self._loop is not None
        asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=10)

    async def _listen(self) -> None:
        self._stopping = asyncio.Event()
        self._server = await asyncio.start_server(
            self._serve_connection, HOST, 0, limit=_MAX_HEAD_BYTES
        )
        self._port = self._server.sockets[0].getsockname()[1]

    async def _shutdown(self) -> None:
        assert self._server is not None
        assert self._stopping is not None
        self._stopping.set()
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()

    # ------------------------------------------------------------------ addresses

    @property
    def port(self) -> int:
        """The listening port."""
        if self._port is None:
            raise RuntimeError("ScriptedServer is not started")
        return self._port

    @property
    def origin(self) -> str:
        """`http://127.0.0.1:PORT`."""
        return f"http://{HOST}:{self.port}"

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT/v1`, what a client takes as its base URL."""
        return f"{self.origin}/v1"

    def url(self, path: str) -> str:
        """An absolute URL on this server for `path` (e.g. `/v1/responses`)."""
        return f"{self.origin}/{path.lstrip('/')}"

    @staticmethod
    def refused_url() -> str:
        """A loopback base URL whose port refuses connections."""
        return f"http://{HOST}:{_refusing_port()}/v1"

    # ------------------------------------------------------------------ script and records

    def enqueue(self, *replies: Reply | Handler) -> None:
        """Queue replies (or handlers) to answer the next requests, in order."""
        with self._changed:
            self._queue.extend(replies)

    def replay(self, recording: Recording, *, pieces: int = 4) -> None:
        """Queue a recording's responses: the n-th request gets the n-th recorded response."""
        from tests.support.recordings import replay_replies

        self.enqueue(*replay_replies(recording, pieces=pieces))

    @property
    def pending(self) -> int:
        """Queued replies not yet used."""
        with self._changed:
            return len(self._queue)

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, in arrival order."""
        with self._changed:
            return list(self._requests)

    @property
    def disconnect_events(self) -> list[Disconnect]:
        """Clients that left while a response was still being sent."""
        with self._changed:
            return list(self._disconnects)

    @property
    def disconnects(self) -> int:
        """How many clients left in the middle of a response."""
        with self._changed:
            return len(self._disconnects)

    @property
    def open_connections(self) -> int:
        """Connections currently open."""
        with self._changed:
            return self._open_connections

    @property
    def connections_accepted(self) -> int:
        """Connections accepted since start."""
        with self._changed:
            return self._connections_accepted

    @property
    def errors(self) -> list[str]:
        """Server-side problems: handler exceptions, unscripted requests, bad requests."""
        with self._changed:
            return list(self._errors)

    def check(self) -> None:
        """Raise `AssertionError` if the server recorded any error."""
        errors = self.errors
        if errors:
            raise AssertionError("ScriptedServer errors:\n" + "\n".join(errors))

    def wait_until(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        """Block until `predicate()` holds (re-checked on every server event)."""
        with self._changed:
            if not self._changed.wait_for(predicate, timeout=timeout):
                raise AssertionError(f"condition not met within {timeout}s")

    async def await_until(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        """`wait_until` for async tests: polls without blocking the caller's loop."""
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"condition not met within {timeout}s")
            await asyncio.sleep(POLL_SECONDS)

    def _update(self, action: Callable[[], None]) -> None:
        with self._changed:
            action()
            self._changed.notify_all()

    def _error(self, message: str) -> None:
        self._update(lambda: self._errors.append(message))

    def _count_connection(self, delta: int) -> None:
        def apply() -> None:
            self._open_connections += delta
            self._connections_accepted += max(delta, 0)

        self._update(apply)

    # ------------------------------------------------------------------ serving

    async def _serve_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self._count_connection(+1)
        connection = Connection(next(self._connection_ids), reader, writer)
        reset = False
        try:
            reset = await self._serve_requests(connection)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        except BadRequestError as exc:
            self._error(f"connection {connection.id}: bad request: {exc}")
        finally:
            connection.close(reset=reset)
            with contextlib.suppress(Exception):
                await writer.wait_closed()
            self._count_connection(-1)
            self._tasks.discard(task)

    async def _serve_requests(self, connection: Connection) -> bool:
        """Serve until the connection must close; return whether to close with a reset."""
        while True:
            raw = await connection.read_request()
            if raw is None:
                return False
            request = self._record(connection.id, raw)
            reply = self._next_reply(request)
            close = not reply.keep_alive or raw.headers.get("connection", "").lower() == "close"
            finished = await self._respond(connection, request, reply, close)
            if not finished:
                return reply.reset
            if close:
                return False

    def _record(self, connection_id: int, raw: RawRequest) -> RecordedRequest:
        parts = urlsplit(raw.target)
        box: list[RecordedRequest] = []

        def append() -> None:
            request = RecordedRequest(
                index=len(self._requests),
                connection_id=connection_id,
                method=raw.method,
                target=raw.target,
                path=parts.path,
                query=parse_query(parts.query),
                headers=raw.headers,
                body=raw.body,
                json=parse_json(raw.body),
                arrived_at=time.monotonic(),
            )
            self._requests.append(request)
            box.append(request)

        self._update(append)
        return box[0]

    def _next_reply(self, request: RecordedRequest) -> Reply:
        with self._changed:
            scripted = self._queue.popleft() if self._queue else self.default
        if scripted is None:
            message = (
                f"no reply scripted for request #{request.index} {request.method} {request.target}"
            )
            if self.strict:
                self._error(message)
            return Reply.error(500, f"ScriptedServer: {message}", error_type="server_error")
        if isinstance(scripted, Reply):
            return scripted
        try:
            return scripted(request)
        except Exception:
            self._error(f"handler failed on request #{request.index}:\n{traceback.format_exc()}")
            return Reply.error(500, "ScriptedServer: handler raised", error_type="server_error")

    async def _respond(
        self, connection: Connection, request: RecordedRequest, reply: Reply, close: bool
    ) -> bool:
        """Send `reply`; return `False` if the connection must now be dropped."""
        if reply.delay_headers and await connection.wait(reply.delay_headers):
            self._disconnected(connection, request, "headers", 0)
            return False
        if reply.close_before_headers:
            return False
        pieces = reply.pieces()
        try:
            await connection.send(response_head(reply, pieces, close))
        except ConnectionError:
            self._disconnected(connection, request, "headers", 0)
            return False
        return await self._send_body(connection, request, reply, pieces)

    async def _send_body(
        self,
        connection: Connection,
        request: RecordedRequest,
        reply: Reply,
        pieces: Sequence[bytes],
    ) -> bool:
        """Send the body piece by piece, applying the reply's faults."""
        for index in range(len(pieces) + 1):
            if reply.close_after_chunks == index:
                return False
            if reply.stall_after_chunks == index:
                assert self._stopping is not None
                if await connection.wait_forever(self._stopping):
                    self._disconnected(connection, request, "stall", index)
                return False
            delay = reply.delay_before(index) if index < len(pieces) else 0.0
            if delay and await connection.wait(delay):
                self._disconnected(connection, request, "body", index)
                return False
            try:
                await connection.send(body_write(pieces, index, reply.is_chunked))
            except ConnectionError:
                self._disconnected(connection, request, "body", index)
                return False
        return True

    def _disconnected(
        self,
        connection: Connection,
        request: RecordedRequest,
        phase: Literal["headers", "body", "stall"],
        pieces_sent: int,
    ) -> None:
        event = Disconnect(request.index, connection.id, phase, pieces_sent, time.monotonic())
        self._update(lambda: self._disconnects.append(event))


@functools.cache
def _refusing_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((HOST, 0))
    atexit.register(sock.close)
    return sock


def _refusing_port() -> int:
    """A port bound (so nobody else takes it) but never listened on: connects are refused."""
    port: int = _refusing_socket().getsockname()[1]
    return port
