"""One chat-model stream: events -> generation chunks, with client-side stop sequences.

Shared by ``ChatResponses._stream`` and ``_astream``, which only move events in and chunks out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from langchain_core.messages import AIMessageChunk
from langchain_core.outputs import ChatGenerationChunk

from langchain_responses._wire.events import ResponseStreamEvent
from langchain_responses._wire.response import Response
from langchain_responses.convert.output import MODEL_PROVIDER
from langchain_responses.stream.chunks import ChunkBuilder, Piece, join_deltas
from langchain_responses.stream.stop import StopFilter


class ChatStream:
    """Feed events; get chunks. ``stopped`` turns true at a stop sequence.

    Stop sequences are looked for within one text block: text that could be the start of one is
    held back, and released when the block's text ends (another block's chunk, or the end).
    """

    def __init__(self, stop: Sequence[str] = ()) -> None:
        self.builder = ChunkBuilder()
        self.stop = list(stop)
        self.filter: StopFilter | None = None
        self._held_index: Any = None
        self.stopped = False

    def feed(self, event: ResponseStreamEvent) -> list[ChatGenerationChunk]:
        """Chunks for one event (none for bookkeeping events)."""
        return list(self.feed_batch([event]))

    def feed_batch(
        self, events: Iterable[ResponseStreamEvent], *, coalesce: bool = True
    ) -> Iterator[ChatGenerationChunk]:
        """Chunks for events received together: neighbouring deltas become one chunk.

        Lazy: each event becomes its chunk as the chunks are taken (take them all).
        """
        if self.stopped:
            return iter(())
        pieces: Iterator[Piece] = filter(None, map(self.builder.feed, events))
        if coalesce:
            pieces = join_deltas(pieces)
        if self.stop:
            return self._until_stop(pieces)
        return map(self._generation, pieces)

    def _generation(self, piece: Piece) -> ChatGenerationChunk:
        return ChatGenerationChunk(message=self.builder.to_chunk(piece))

    def _until_stop(self, pieces: Iterator[Piece]) -> Iterator[ChatGenerationChunk]:
        for piece in pieces:
            for message in self._filtered(self.builder.to_chunk(piece)):
                yield ChatGenerationChunk(message=message)
            if self.stopped:
                return

    def _filtered(self, chunk: AIMessageChunk) -> list[AIMessageChunk]:
        block = _text_delta(chunk)
        index = block.get("index") if block is not None else None
        released = self._release() if block is None or index != self._held_index else []
        if block is None:
            return [*released, chunk]
        if self.filter is None:
            self.filter, self._held_index = StopFilter(self.stop), index
        text = self.filter.feed(block["text"])
        self.stopped = self.filter.stopped
        return [*released, chunk.model_copy(update={"content": [{**block, "text": text}]})]

    def _release(self) -> list[AIMessageChunk]:
        """The text held back for a block that ended without a stop sequence."""
        if self.filter is None:
            return []
        held, index = self.filter.flush(), self._held_index
        self.filter = self._held_index = None
        if not held:
            return []
        block = {"type": "text", "text": held, "index": index}
        return [self.builder.to_chunk(Piece([block], []))]

    def finish(self, response: Response | None) -> ChatGenerationChunk:
        """The last chunk: usage and metadata (only ids and the reason after a stop)."""
        if self.stopped or response is None:
            meta = {
                "id": self.builder.response_id,
                "model_name": response.model if response else None,
                "model_provider": MODEL_PROVIDER,
                "finish_reason": "stop",
            }
            last = AIMessageChunk(
                content=[],
                response_metadata=meta,
                id=self.builder.response_id,
                chunk_position="last",
            )
        else:
            last = self.builder.finish(response)
            for held in self._release():
                last = held + last
        return ChatGenerationChunk(message=last)


def _text_delta(chunk: AIMessageChunk) -> dict[str, Any] | None:
    """The chunk's text block when it carries text and nothing else."""
    blocks = chunk.content
    if isinstance(blocks, list) and len(blocks) == 1 and isinstance(blocks[0], dict):
        block = blocks[0]
        if block.get("type") == "text" and "text" in block:
            return block
    return None
