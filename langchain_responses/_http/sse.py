"""A sans-I/O Server-Sent Events decoder, shared by the sync and async streams.

Follows the WHATWG parsing rules the OpenAI SDK implements: lines end in LF, CRLF or CR (also
when split across chunks), ``:`` starts a comment, one space after the colon is stripped,
``data`` lines are joined with LF, and an event is dispatched at a blank line. A trailing event
without its blank line is flushed at the end of the stream, so nothing received is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ServerSentEvent:
    """One decoded SSE event."""

    data: str
    event: str | None = None
    id: str | None = None
    retry: int | None = None


class SSEDecoder:
    """Feed it bytes as they arrive; it returns the events completed so far."""

    __slots__ = ("_buffer", "_data", "_event", "_id", "_retry")

    def __init__(self) -> None:
        # The unfinished line, in pieces: joining only once a line break arrives keeps a
        # multi-megabyte event that trickles in small reads linear, not quadratic.
        self._buffer: list[bytes] = []
        self._data: list[bytes] = []
        self._event: str | None = None
        self._id: str | None = None
        self._retry: int | None = None

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        """Decode ``chunk`` and return every event it completed."""
        held_cr = bool(self._buffer) and self._buffer[-1].endswith(b"\r")
        if not held_cr and b"\n" not in chunk and b"\r" not in chunk:
            self._buffer.append(chunk)
            return []
        buffer = b"".join((*self._buffer, chunk))
        lines = buffer.splitlines(keepends=True)
        if lines and not _ends_line(lines[-1]):
            self._buffer = [lines.pop()]
        elif lines and lines[-1].endswith(b"\r"):
            # A CR at the end of a chunk may be the first half of a CRLF: decide next time.
            self._buffer = [lines.pop()]
        else:
            self._buffer = []
        events: list[ServerSentEvent] = []
        for line in lines:
            event = self._line(line.rstrip(b"\r\n"))
            if event is not None:
                events.append(event)
        return events

    def flush(self) -> list[ServerSentEvent]:
        """End of stream: decode what is left, including an event missing its blank line."""
        events: list[ServerSentEvent] = []
        if self._buffer:
            last, self._buffer = b"".join(self._buffer), []
            event = self._line(last.rstrip(b"\r\n"))
            if event is not None:
                events.append(event)
        event = self._dispatch()
        if event is not None:
            events.append(event)
        return events

    def _line(self, line: bytes) -> ServerSentEvent | None:
        if line[:5] == b"data:":  # the hot path: keep bytes, decode once per event
            self._data.append(line[6:] if line[5:6] == b" " else line[5:])
            return None
        if not line:
            event = self._dispatch()
            self._retry = None  # like the SDK: ``retry`` belongs to the event it came with
            return event
        if line[0] == 0x3A:  # ":" - a comment
            return None
        name, sep, value = line.partition(b":")
        if sep and value[:1] == b" ":
            value = value[1:]
        self._field(name.decode("utf-8", "replace"), value.decode("utf-8", "replace"))
        return None

    def _field(self, name: str, value: str) -> None:
        if name == "data":  # "data" without a colon: an empty value
            self._data.append(value.encode("utf-8"))
        elif name == "event":
            self._event = value
        elif name == "id":
            if "\0" not in value:
                self._id = value
        elif name == "retry" and value.isascii() and value.isdigit():
            self._retry = int(value)

    def _dispatch(self) -> ServerSentEvent | None:
        if not self._data:
            self._event = None
            return None
        data = b"\n".join(self._data).decode("utf-8", "replace")
        event = ServerSentEvent(data, self._event, self._id, self._retry)
        self._data = []
        self._event = None
        return event


def _ends_line(line: bytes) -> bool:
    return line.endswith((b"\n", b"\r"))
