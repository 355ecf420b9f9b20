"""HTTP/1.1 framing for `ScriptedServer`: read a request, write a head and body pieces."""

from __future__ import annotations

import asyncio
import http
import socket
import struct
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tests.support.script import NO_JSON, Reply

__all__ = ["BadRequestError", "Connection", "RawRequest", "body_write", "response_head"]

# How often a waiting response checks whether its client is still there.
POLL_SECONDS = 0.005


class BadRequestError(Exception):
    """The bytes on the wire are not an HTTP/1.1 request we understand."""


@dataclass
class RawRequest:
    method: str
    target: str
    headers: dict[str, str]
    body: bytes


class Connection:
    """Reading requests from and writing a response to one accepted socket."""

    def __init__(
        self,
        connection_id: int,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> None:
        self.id = connection_id
        self.reader = reader
        self.writer = writer

    def peer_gone(self) -> bool:
        """The client closed (FIN) or reset the connection."""
        return (
            self.reader.at_eof() or self.writer.is_closing() or self.reader.exception() is not None
        )

    async def wait(self, seconds: float) -> bool:
        """Sleep, returning `True` early if the client goes away."""
        deadline = time.monotonic() + seconds
        while not self.peer_gone():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            await asyncio.sleep(min(POLL_SECONDS, remaining))
        return True

    async def wait_forever(self, stopping: asyncio.Event) -> bool:
        """Stay silent until the client leaves (`True`) or the server stops (`False`)."""
        while not self.peer_gone():
            if stopping.is_set():
                return False
            await asyncio.sleep(POLL_SECONDS)
        return True

    async def send(self, data: bytes) -> None:
        self.writer.write(data)
        await self.writer.drain()

    async def read_request(self) -> RawRequest | None:
        """The next request, or `None` if the client closed the idle connection."""
        try:
            head = await self.reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError as exc:
            if exc.partial.strip():
                raise BadRequestError("connection closed inside the request head") from exc
            return None
        except asyncio.LimitOverrunError as exc:
            raise BadRequestError("request head too large") from exc
        request_line, *header_lines = head.decode("latin-1").strip("\r\n").split("\r\n")
        try:
            method, target, _version = request_line.split(" ", 2)
        except ValueError as exc:
            raise BadRequestError(f"bad request line {request_line!r}") from exc
        headers: dict[str, str] = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            key = name.strip().lower()
            headers[key] = f"{headers[key]}, {value.strip()}" if key in headers else value.strip()
        return RawRequest(method, target, headers, await self._read_body(headers))

    async def _read_body(self, headers: Mapping[str, str]) -> bytes:
        if "chunked" in headers.get("transfer-encoding", "").lower():
            return await self._read_chunked_body()
        length = int(headers.get("content-length", "0") or "0")
        return await self.reader.readexactly(length) if length else b""

    async def _read_chunked_body(self) -> bytes:
        body = bytearray()
        while True:
            size_line = await self.reader.readuntil(b"\r\n")
            size = int(size_line.split(b";", 1)[0].strip(), 16)
            if size == 0:
                # Skip trailers up to the blank line.
                while (await self.reader.readuntil(b"\r\n")) != b"\r\n":
                    pass
                return bytes(body)
            body += await self.reader.readexactly(size)
            await self.reader.readexactly(2)

    def close(self, *, reset: bool) -> None:
        if reset:
            sock = self.writer.get_extra_info("socket")
            if sock is not None:
                # SO_LINGER with a zero timeout turns close() into a TCP RST.
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.writer.transport.abort()
        else:
            self.writer.close()


def response_head(reply: Reply, pieces: Sequence[bytes], close: bool) -> bytes:
    try:
        phrase = http.HTTPStatus(reply.status).phrase
    except ValueError:
        phrase = "Scripted"
    headers = {k.lower(): v for k, v in reply.headers.items()}
    if reply.json is not NO_JSON:
        headers.setdefault("content-type", "application/json")
    headers.pop("transfer-encoding", None)
    if reply.is_chunked:
        headers.pop("content-length", None)
        headers["transfer-encoding"] = "chunked"
    else:
        # A scripted content-length is kept on purpose: it lets a test lie about the size.
        headers.setdefault("content-length", str(sum(len(p) for p in pieces)))
    headers["connection"] = "close" if close else "keep-alive"
    lines = [f"HTTP/1.1 {reply.status} {phrase}", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def body_write(pieces: Sequence[bytes], index: int, chunked: bool) -> bytes:
    """The bytes for body piece `index`; `index == len(pieces)` is the end of the body."""
    if index == len(pieces):
        return b"0\r\n\r\n" if chunked else b""
    piece = pieces[index]
    if not chunked or not piece:
        # An empty chunk would end a chunked body early, so it is not sent at all.
        return piece
    return b"%x\r\n%s\r\n" % (len(piece), piece)
