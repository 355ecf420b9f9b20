"""Stream events -> ``AIMessageChunk`` s (sans-I/O; shared by ``_stream`` and ``_astream``).

Text, refusal, reasoning and tool-argument deltas become chunks as they arrive; everything else
comes with the last chunk, taken from the final response (which is authoritative: real servers
re-encrypt reasoning and may reorder items there). Chunks merge into exactly the message that
the non-streamed conversion of the final response gives (``langchain_responses.stream.blocks``).
Item ids are sent only at the end too, since some servers change them in the final response,
and so are annotations (see ``_STREAMED_PART_KEYS``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

from langchain_core.messages import AIMessageChunk
from langchain_core.messages.tool import ToolCallChunk, tool_call_chunk

from langchain_responses._wire import events as ev
from langchain_responses._wire.response import Response
from langchain_responses.convert.calls import CALL_ITEM_TYPES, call_id_of, to_tool_call
from langchain_responses.convert.output import (
    MODEL_PROVIDER,
    calls_of,
    item_block,
    part_block,
    to_metadata,
    to_usage,
)
from langchain_responses.convert.response_json import response_json
from langchain_responses.stream.blocks import SentBlock, missing

JsonObject = dict[str, Any]
_TERMINAL = (ev.ResponseCompletedEvent, ev.ResponseIncompleteEvent, ev.ResponseFailedEvent)


class Piece(NamedTuple):
    """What one event adds to the message: content blocks and tool-call chunks."""

    blocks: list[JsonObject]
    tool_chunks: list[ToolCallChunk]


class ChunkBuilder:
    """Feed it events; it returns the pieces to emit (see :func:`join_deltas`, ``to_chunk``)."""

    def __init__(self) -> None:
        self.response_id: str | None = None
        self._next = 0
        self._index: dict[tuple[int, int | None], int] = {}
        self._sent: dict[int, SentBlock] = {}
        self._sinks: dict[tuple[int, int | None, str], tuple[int, list[str]]] = {}
        """(output index, part, field) -> (block index, the field's streamed pieces)."""
        self._tool_index: dict[int, int] = {}
        self._parts: set[tuple[int, str, int]] = set()

    # -- public -------------------------------------------------------------------------

    def feed(self, event: ev.ResponseStreamEvent) -> Piece | None:
        """The piece for one event, if it carries anything to show."""
        delta = _DELTAS.get(type(event))
        if delta is not None:
            return delta(self, event)
        return self._structural(event)

    def finish(self, response: Response) -> AIMessageChunk:
        """The last chunk: whatever items were never closed, then usage and metadata."""
        data = response_json(response)
        items = data["output"]
        blocks: list[JsonObject] = []
        tool_chunks: list[ToolCallChunk] = []
        for output_index, item in enumerate(items):
            self._close(output_index, item, blocks, tool_chunks)
        calls, invalid = calls_of(items)
        return AIMessageChunk(
            content=blocks,
            tool_call_chunks=tool_chunks,
            usage_metadata=to_usage(data.get("usage")),
            response_metadata=to_metadata(data, bool(calls or invalid)),
            id=response.id,
            chunk_position="last",
        )

    # -- helpers ------------------------------------------------------------------------

    def to_chunk(self, piece: Piece) -> AIMessageChunk:
        """The ``AIMessageChunk`` for a piece (the costly step: one per network read).

        Every chunk names the provider: ``content_blocks`` picks its translator by it, so
        mid-stream chunks (and ``output_version="v1"``) read like the final message.
        An empty ``tool_call_chunks`` is left to its default: one field less to validate.
        """
        if piece.tool_chunks:
            return AIMessageChunk(
                content=piece.blocks,
                tool_call_chunks=piece.tool_chunks,
                response_metadata={"model_provider": MODEL_PROVIDER},
                id=self.response_id,
            )
        return AIMessageChunk(
            content=piece.blocks,
            response_metadata={"model_provider": MODEL_PROVIDER},
            id=self.response_id,
        )

    def _chunk(
        self, blocks: list[JsonObject], tool_chunks: list[ToolCallChunk] | None = None
    ) -> Piece:
        return Piece(blocks, tool_chunks or [])

    def _emit(self, index: int, block: JsonObject) -> JsonObject:
        self._sent_block(index).add(block)
        return block

    def _sent_block(self, index: int) -> SentBlock:
        sent = self._sent.get(index)
        if sent is None:
            sent = self._sent[index] = SentBlock()
        return sent

    def _grow(self, output_index: int, part: int | None, kind: str, field: str, delta: str) -> int:
        """Note a delta of a block's string ``field``; the block's index (the hot path).

        The first delta of a block is emitted like any block; later ones only append to the
        field's pieces, which is the same merge once ``type`` and ``index`` are known.
        """
        sink = self._sinks.get((output_index, part, field))
        if sink is not None:
            sink[1].append(delta)
            return sink[0]
        index = self._block_index(output_index, part)
        sent = self._sent_block(index)
        sent.add({"type": kind, field: delta, "index": index})
        self._sinks[output_index, part, field] = (index, sent.pieces(field))
        return index

    def _block_index(self, output_index: int, part: int | None = None) -> int:
        key = (output_index, part)
        index = self._index.get(key)
        if index is None:
            index = self._index[key] = self._next
            self._next += 1
        return index

    def _structural(self, event: ev.ResponseStreamEvent) -> Piece | None:
        match event:
            case (
                ev.ResponseCreatedEvent() | ev.ResponseQueuedEvent() | ev.ResponseInProgressEvent()
            ):
                self.response_id = self.response_id or event.response.id
            case ev.OutputItemAddedEvent():
                return self._added(event.output_index, event.item.to_dict())
            case ev.ContentPartAddedEvent():
                return self._part_added(event)
            case ev.ReasoningSummaryPartAddedEvent():
                part = {**event.part.to_dict(), "text": ""}
                return self._reasoning_part(
                    event.output_index, "summary", event.summary_index, part
                )
        return None

    def _added(self, output_index: int, item: JsonObject) -> Piece | None:
        kind = item.get("type")
        if kind == "message":
            return None
        index = self._block_index(output_index)
        if kind in {"function_call", "custom_tool_call"}:
            return self._call_added(index, item)
        # A placeholder keeps the blocks in output order; the item itself comes at the end.
        head: JsonObject = {"type": kind, "index": index}
        return self._chunk([self._emit(index, head)])

    def _call_added(self, index: int, item: JsonObject) -> Piece:
        field = "arguments" if item["type"] == "function_call" else "input"
        head = {
            k: v for k, v in item.items() if k in {"type", "id", "call_id", "name", "namespace"}
        }
        head.update({field: "", "index": index})
        args = "" if field == "arguments" else '{"input": "'
        self._tool_index[index] = index
        chunk = tool_call_chunk(
            name=item.get("name"), args=args, id=item.get("call_id"), index=index
        )
        return self._chunk([self._emit(index, head)], [chunk])

    def _part_added(self, event: ev.ContentPartAddedEvent) -> Piece | None:
        part = event.part.to_dict()
        if part.get("type") == "reasoning_text":
            start = {**part, "text": ""}
            return self._reasoning_part(event.output_index, "content", event.content_index, start)
        block = part_block({**part, **_EMPTY.get(str(part.get("type")), {})}, {})
        if block["type"] == "non_standard":
            return None  # an unknown part arrives whole with its item
        index = self._block_index(event.output_index, event.content_index)
        block = {k: v for k, v in block.items() if k in _STREAMED_PART_KEYS}
        block["index"] = index
        return self._chunk([self._emit(index, block)])

    def _delta(self, event: Any, field: str) -> Piece:
        delta = event.delta
        index = self._grow(event.output_index, event.content_index, field, field, delta)
        return Piece([{"type": field, field: delta, "index": index}], [])

    def _arguments(self, output_index: int, field: str, delta: str) -> Piece:
        kind = "function_call" if field == "arguments" else "custom_tool_call"
        index = self._grow(output_index, None, kind, field, delta)
        args = delta if field == "arguments" else json.dumps(delta)[1:-1]
        block = {"type": kind, field: delta, "index": index}
        return Piece([block], [tool_call_chunk(args=args, index=index)])

    def _reasoning(self, output_index: int, field: str, part: int, delta: str) -> Piece:
        return self._reasoning_part(output_index, field, part, {"text": delta})

    def _reasoning_part(
        self, output_index: int, field: str, part_index: int, part: JsonObject
    ) -> Piece:
        index = self._block_index(output_index)
        key = (index, field, part_index)
        if key not in self._parts:
            # LangChain drops `type` from every piece but the first: send it first.
            self._parts.add(key)
            part = {"type": _PART_TYPES[field], **part}
        block = {"type": "reasoning", field: [{**part, "index": part_index}], "index": index}
        return self._chunk([self._emit(index, block)])

    def _close(
        self,
        output_index: int,
        item: JsonObject,
        blocks: list[JsonObject],
        tool_chunks: list[ToolCallChunk],
    ) -> None:
        """Send what is missing of a finished item (its final blocks minus what was streamed)."""
        if item.get("type") == "message" and isinstance(item.get("content"), list):
            finals = [
                (self._block_index(output_index, k), part_block(part, item))
                for k, part in enumerate(item["content"])
            ]
        else:
            index = self._block_index(output_index)
            finals = [(index, item_block(item, index))]
        rest: JsonObject = {}
        for index, final in finals:
            final["index"] = index
            sent = self._sent.get(index)
            rest = missing(sent.merged() if sent is not None else {}, final)
            if rest:
                blocks.append(self._emit(index, {"type": final["type"], **rest, "index": index}))
        if item.get("type") in CALL_ITEM_TYPES:
            tool_chunks.append(self._tool_tail(finals[0][0], item, rest))

    def _tool_tail(self, index: int, item: JsonObject, rest: JsonObject) -> ToolCallChunk:
        """The rest of a call's arguments (all of them when nothing was streamed)."""
        if index not in self._tool_index:
            call = to_tool_call(item)
            args = json.dumps(call.get("args", {})) if call else "{}"
            name = call.get("name") if call else None
            return tool_call_chunk(name=name, args=args, id=call_id_of(item), index=index)
        if item.get("type") == "custom_tool_call":
            tail = json.dumps(rest.get("input", ""))[1:-1]
            return tool_call_chunk(args=f'{tail}"}}', index=index)
        return tool_call_chunk(args=rest.get("arguments", ""), index=index)


_EMPTY: dict[str, JsonObject] = {
    "output_text": {"text": "", "annotations": []},
    "refusal": {"refusal": ""},
}
# No `annotations`: LangChain merges list elements that carry an `index` key by that key, and
# file citations have one (their position in the text), so two citations at one position would
# fuse if they came in separate chunks. The whole list comes once, with the last chunk.
_STREAMED_PART_KEYS = frozenset({"type", "text", "refusal"})
_PART_TYPES = {"summary": "summary_text", "content": "reasoning_text"}

_DELTAS: dict[type[Any], Callable[[ChunkBuilder, Any], Piece]] = {
    ev.OutputTextDeltaEvent: lambda b, e: b._delta(e, "text"),
    ev.RefusalDeltaEvent: lambda b, e: b._delta(e, "refusal"),
    ev.FunctionCallArgumentsDeltaEvent: lambda b, e: b._arguments(
        e.output_index, "arguments", e.delta
    ),
    ev.CustomToolCallInputDeltaEvent: lambda b, e: b._arguments(e.output_index, "input", e.delta),
    ev.ReasoningSummaryTextDeltaEvent: lambda b, e: b._reasoning(
        e.output_index, "summary", e.summary_index, e.delta
    ),
    ev.ReasoningTextDeltaEvent: lambda b, e: b._reasoning(
        e.output_index, "content", e.content_index, e.delta
    ),
}
"""Delta events -> the builder method that turns them into a piece (the hot path)."""

_MERGEABLE = {"text": "text", "refusal": "refusal", "function_call": "arguments"}
"""Delta blocks whose pieces may join: block type -> the string field that grows."""


def _delta_key(piece: Piece) -> tuple[int, str] | None:
    """``(index, type)`` when the piece is a bare string delta that may join its neighbour."""
    if len(piece.blocks) != 1 or len(piece.tool_chunks) > 1:
        return None
    block = piece.blocks[0]
    field = _MERGEABLE.get(block.get("type", ""))
    if field is None or len(block) != 3 or field not in block or "index" not in block:
        return None
    if piece.tool_chunks and (piece.tool_chunks[0].get("name") or piece.tool_chunks[0].get("id")):
        return None
    return block["index"], block["type"]


def _join(left: Piece, right: Piece) -> Piece:
    field = _MERGEABLE[left.blocks[0]["type"]]
    block = {**left.blocks[0], field: left.blocks[0][field] + right.blocks[0][field]}
    tools = [
        {**a, "args": (a.get("args") or "") + (b.get("args") or "")}
        for a, b in zip(left.tool_chunks, right.tool_chunks, strict=True)
    ]
    return Piece([block], tools)  # type: ignore[arg-type]


def join_deltas(pieces: Iterable[Piece]) -> Iterator[Piece]:
    """Join neighbouring deltas of the same block: one chunk per network read, not per event.

    Merging the result gives exactly what merging every piece would; only the number of
    chunks (and LangChain's per-chunk cost) drops. Lazy: a piece comes out once the next one
    shows it can't grow any more.
    """
    held: Piece | None = None
    last: tuple[int, str] | None = None
    for piece in pieces:
        key = _delta_key(piece)
        if held is None:
            held = piece
        elif key is not None and key == last and len(piece.tool_chunks) == len(held.tool_chunks):
            held = _join(held, piece)
        else:
            yield held
            held = piece
        last = key
    if held is not None:
        yield held
