"""The script a `ScriptedServer` plays: replies, recorded requests, SSE helpers."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import EllipsisType
from typing import Any, Literal
from urllib.parse import parse_qsl

__all__ = [
    "NO_JSON",
    "Disconnect",
    "Handler",
    "RecordedRequest",
    "Reply",
    "parse_json",
    "parse_query",
    "sse_body",
    "sse_event",
]


class _NoJson:
    """Marks `Reply.json` as unset (`None` is a valid JSON body)."""

    def __repr__(self) -> str:
        return "NO_JSON"


NO_JSON = _NoJson()


# --------------------------------------------------------------------------- SSE helpers


def sse_event(
    data: Mapping[str, Any] | str,
    event: str | EllipsisType | None = ...,
    *,
    event_id: str | None = None,
) -> bytes:
    """Encode one SSE event; `event=...` takes the name from `data["type"]`, `None` omits it."""
    if event is ...:
        event = data.get("type") if isinstance(data, Mapping) else None
    payload = data if isinstance(data, str) else json.dumps(data, separators=(",", ":"))
    lines = [] if event is None else [f"event: {event}"]
    if event_id is not None:
        lines.append(f"id: {event_id}")
    lines.extend(f"data: {line}" for line in payload.split("\n"))
    return ("\n".join(lines) + "\n\n").encode()


def sse_body(
    events: Iterable[Mapping[str, Any] | bytes | str],
    *,
    sequence_numbers: bool = False,
) -> list[bytes]:
    """One chunk per event: mappings go through `sse_event`, bytes/str are raw SSE text.

    With `sequence_numbers=True`, mappings lacking `sequence_number` get 0, 1, 2, ... in order.
    """
    chunks: list[bytes] = []
    counter = itertools.count()
    for item in events:
        if isinstance(item, bytes):
            chunks.append(item)
        elif isinstance(item, str):
            chunks.append(item.encode())
        else:
            number = next(counter)
            if sequence_numbers and "sequence_number" not in item:
                chunks.append(sse_event({**item, "sequence_number": number}))
            else:
                chunks.append(sse_event(item))
    return chunks


# --------------------------------------------------------------------------- script types


@dataclass(frozen=True)
class Reply:
    """One scripted response, optionally with a transport fault.

    The body is at most one of `json` (serialised, `application/json`), `body` (raw) or
    `chunks` (sent one write per chunk, with `Transfer-Encoding: chunked` unless
    `chunked=False`). `delays` is the pause before each chunk: one number for all, or one
    per chunk. Faults: `delay_headers` (seconds before the status line),
    `close_before_headers`, `close_after_chunks=N` (N body pieces, then close without the
    terminating chunk), `stall_after_chunks=N` (N pieces, then silence until the client
    leaves or the server stops). `reset=True` makes those closes a TCP RST instead of a FIN.
    A `json`/`body` reply counts as one piece for the chunk faults.
    """

    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    json: Any = NO_JSON
    body: bytes | str | None = None
    chunks: Sequence[bytes | str] | None = None
    delays: float | Sequence[float] = 0.0
    chunked: bool = True
    delay_headers: float = 0.0
    close_before_headers: bool = False
    close_after_chunks: int | None = None
    stall_after_chunks: int | None = None
    reset: bool = False
    keep_alive: bool = True

    def __post_init__(self) -> None:
        given = [self.json is not NO_JSON, self.body is not None, self.chunks is not None]
        if sum(given) > 1:
            raise ValueError("Reply takes at most one of json=, body=, chunks=")
        if not isinstance(self.delays, (int, float)) and len(self.delays) != len(self.pieces()):
            raise ValueError("Reply.delays must be a number or have one entry per chunk")

    @classmethod
    def sse(
        cls,
        events: Iterable[Mapping[str, Any] | bytes | str],
        *,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
        **options: Any,
    ) -> Reply:
        """A `text/event-stream` reply, one chunk per event (see `sse_body`)."""
        merged = {"content-type": "text/event-stream; charset=utf-8", **(headers or {})}
        return cls(status=status, headers=merged, chunks=sse_body(events), **options)

    @classmethod
    def error(
        cls,
        status: int,
        message: str = "scripted error",
        *,
        error_type: str = "invalid_request_error",
        code: str | None = None,
        param: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        """An OpenAI-shaped JSON error body (`{"error": {message, type, param, code}}`)."""
        error = {"message": message, "type": error_type, "param": param, "code": code}
        return cls(status=status, headers=dict(headers or {}), json={"error": error})

    def pieces(self) -> list[bytes]:
        """The body as the list of writes the server makes."""
        if self.chunks is not None:
            return [c.encode() if isinstance(c, str) else c for c in self.chunks]
        if self.json is not NO_JSON:
            return [json.dumps(self.json).encode()]
        if self.body is not None:
            return [self.body.encode() if isinstance(self.body, str) else self.body]
        return []

    def delay_before(self, index: int) -> float:
        """Seconds to wait before body piece `index`."""
        if isinstance(self.delays, (int, float)):
            return float(self.delays)
        return float(self.delays[index])

    @property
    def is_chunked(self) -> bool:
        """Whether the body goes out with `Transfer-Encoding: chunked`."""
        return self.chunks is not None and self.chunked


@dataclass(frozen=True)
class RecordedRequest:
    """A request as the server received it (header names lower-cased)."""

    index: int
    connection_id: int
    method: str
    target: str
    path: str
    query: dict[str, str | list[str]]
    headers: dict[str, str]
    body: bytes
    json: Any
    arrived_at: float

    @property
    def text(self) -> str:
        """The body decoded as UTF-8."""
        return self.body.decode()


@dataclass(frozen=True)
class Disconnect:
    """A client that went away while its response was still being sent."""

    request_index: int
    connection_id: int
    phase: Literal["headers", "body", "stall"]
    pieces_sent: int
    at: float


Handler = Callable[[RecordedRequest], Reply]


def parse_query(query: str) -> dict[str, str | list[str]]:
    """A key seen once maps to a string, a repeated key to a list (as in the recordings)."""
    parsed: dict[str, str | list[str]] = {}
    for key, value in parse_qsl(query, keep_blank_values=True):
        if key not in parsed:
            parsed[key] = value
            continue
        previous = parsed[key]
        parsed[key] = [*previous, value] if isinstance(previous, list) else [previous, value]
    return parsed


def parse_json(body: bytes) -> Any:
    if not body:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None
