"""A small, fast HTTP/1.1 server for the benchmarks: raw asyncio sockets, precomputed bodies.

Routes (the scenario is named by the request's model, so every client library can drive it)::

    POST .../responses   "stream": true, "model": "bench-{kind}-{n}"
                             -> SSE, kind = text | fc, n deltas
                         otherwise -> a small JSON response
    GET  /__stats        -> {"cpu": <process CPU seconds>, "requests": <count>}
    GET  /__prepare?kind=text&n=10000   -> build and cache that body now (not timed)

Every SSE event is framed as its own HTTP chunk (``Transfer-Encoding: chunked``); chunks are
written ``--events-per-write`` at a time (0 = the whole body in one write), with TCP_NODELAY and
proper flow control, on uvloop when it is installed. Keep-alive, pipelining-safe (one request at
a time per connection). Run ``python -m benchmarks.server --help``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import signal
import socket
import sys
import time

from benchmarks import payloads

_MODEL = re.compile(rb'"model":\s*"bench-(text|fc)-(\d+)"')
_STREAM_HEAD = (
    b"HTTP/1.1 200 OK\r\n"
    b"content-type: text/event-stream; charset=utf-8\r\n"
    b"transfer-encoding: chunked\r\n"
    b"cache-control: no-cache\r\n"
    b"openai-processing-ms: 42\r\n"
    b"x-request-id: req_0123456789abcdef0123456789abcdef\r\n"
    b"\r\n"
)


def _json_response(body: bytes, status: str = "200 OK") -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\n"
        "content-type: application/json\r\n"
        f"content-length: {len(body)}\r\n"
        "openai-processing-ms: 42\r\n"
        "x-request-id: req_0123456789abcdef0123456789abcdef\r\n"
        "\r\n"
    )
    return head.encode() + body


class Bodies:
    """Precomputed response bytes, built once per (kind, n)."""

    def __init__(self, events_per_write: int) -> None:
        self.events_per_write = events_per_write
        self._streams: dict[tuple[str, int], list[bytes]] = {}
        self.small = _json_response(payloads.small_response())
        self.not_found = _json_response(
            b'{"error":{"message":"not found","type":"invalid_request_error"}}', "404 Not Found"
        )

    def stream(self, kind: str, n: int) -> list[bytes]:
        key = (kind, n)
        pieces = self._streams.get(key)
        if pieces is None:
            framed = [b"%x\r\n%s\r\n" % (len(e), e) for e in payloads.EVENTS[kind](n)]
            framed.append(b"0\r\n\r\n")
            step = self.events_per_write or len(framed)
            groups = [b"".join(framed[i : i + step]) for i in range(0, len(framed), step)]
            pieces = self._streams[key] = [_STREAM_HEAD + groups[0], *groups[1:]]
        return pieces


class Stats:
    requests = 0


class HTTPProtocol(asyncio.Protocol):
    def __init__(self, bodies: Bodies) -> None:
        self.bodies = bodies
        self.buf = bytearray()
        self.busy = False
        self.paused = False
        self.closed = False
        self.waiter: asyncio.Future[None] | None = None
        self.transport: asyncio.Transport | None = None

    # -- asyncio callbacks --------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        sock = transport.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def data_received(self, data: bytes) -> None:
        self.buf += data
        if not self.busy:
            self._next_request()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._wake()

    def pause_writing(self) -> None:
        self.paused = True

    def resume_writing(self) -> None:
        self.paused = False
        self._wake()

    # -- requests -----------------------------------------------------------------------------

    def _wake(self) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)

    def _next_request(self) -> None:
        end = self.buf.find(b"\r\n\r\n")
        if end < 0:
            return
        lines = bytes(self.buf[:end]).decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        length = 0
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        total = end + 4 + length
        if len(self.buf) < total:
            return
        body = bytes(self.buf[end + 4 : total])
        del self.buf[:total]
        Stats.requests += 1
        self.busy = True
        asyncio.get_running_loop().create_task(self._respond(method, target, body))

    async def _respond(self, method: str, target: str, body: bytes) -> None:
        assert self.transport is not None
        path = target.split("?", 1)[0]
        if path == "/__stats":
            stats = {"cpu": time.process_time(), "requests": Stats.requests, "pid": os.getpid()}
            self.transport.write(_json_response(json.dumps(stats).encode()))
        elif path == "/__prepare":
            # Build (and cache) a stream body now, so no measured request pays for it.
            query = dict(pair.split("=", 1) for pair in target.split("?", 1)[1].split("&"))
            pieces = self.bodies.stream(query["kind"], int(query["n"]))
            info = {"bytes": sum(map(len, pieces)), "writes": len(pieces)}
            self.transport.write(_json_response(json.dumps(info).encode()))
        elif method == "POST" and path.endswith("/responses"):
            match = _MODEL.search(body)
            if match is not None and (b'"stream":true' in body or b'"stream": true' in body):
                kind, n = match.group(1).decode(), int(match.group(2))
                await self._write_all(self.bodies.stream(kind, n))
            else:
                self.transport.write(self.bodies.small)
        else:
            self.transport.write(self.bodies.not_found)
        self.busy = False
        if self.buf and not self.closed:
            self._next_request()

    async def _write_all(self, pieces: list[bytes]) -> None:
        transport = self.transport
        assert transport is not None
        loop = asyncio.get_running_loop()
        for piece in pieces:
            if self.closed:
                return
            transport.write(piece)
            if self.paused:
                self.waiter = loop.create_future()
                await self.waiter
                self.waiter = None


async def serve(host: str, port: int, events_per_write: int) -> None:
    bodies = Bodies(events_per_write)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: HTTPProtocol(bodies), host, port, backlog=2048, reuse_address=True
    )
    bound = server.sockets[0].getsockname()[1]
    print(f"PORT {bound}", flush=True)
    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
    # Stop by ourselves when the parent goes away (stdin closes).
    if not sys.stdin.isatty():
        loop.add_reader(sys.stdin.fileno(), lambda: stop.done() or stop.set_result(None))
    async with server:
        await stop


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 = pick a free port (printed)")
    parser.add_argument(
        "--events-per-write",
        type=int,
        default=8,
        help="SSE events (each its own HTTP chunk) per socket write; 0 = the whole body at once",
    )
    parser.add_argument("--loop", choices=("auto", "asyncio", "uvloop"), default="auto")
    args = parser.parse_args(argv)
    run = asyncio.run
    if args.loop != "asyncio":
        try:
            import uvloop

            run = uvloop.run
        except ImportError:
            if args.loop == "uvloop":
                raise
    run(serve(args.host, args.port, args.events_per_write))


if __name__ == "__main__":
    main()
