"""One chat-model stream: events -> generation chunks, with client-side stop sequences.

Shared by ``ChatResponses._stream`` and ``_astream``, which only move events in and chunks out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.outputs import ChatGenerationChunk

from langchain_responses._wire.events import ResponseStreamEvent
from langchain_responses._wire.response import Response
from langchain_responses.convert.output import MODEL_PROVIDER
from langchain_responses.stream.chunks import ChunkBuilder
from langchain_responses.stream.stop import StopFilter, cut_at_stop

_PENDING = frozenset({"queued", "in_progress"})


def is_pending(response: Response) -> bool:
    """Whether a (background) response is still queued or running."""
    return response.status in _PENDING


def apply_stop(message: AIMessage, stop: Sequence[str]) -> AIMessage:
    """Cut the text at the first stop sequence; what came after it is dropped."""
    if not stop or isinstance(message.content, str):
        return message
    content: list[Any] = []
    for block in message.content:
        if isinstance(block, dict) and block.get("type") == "text":
            text, found = cut_at_stop(block.get("text", ""), stop)
            if found:
                content.append({**block, "text": text})
                meta = {**message.response_metadata, "finish_reason": "stop"}
                return message.model_copy(
                    update={"content": content, "tool_calls": [], "response_metadata": meta}
                )
        content.append(block)
    return message


class ChatStream:
    """Feed events; get chunks. ``stopped`` turns true at a stop sequence."""

    def __init__(self, stop: Sequence[str] = ()) -> None:
        self.builder = ChunkBuilder()
        self.filter = StopFilter(stop) if stop else None
        self.stopped = False

    def feed(self, event: ResponseStreamEvent) -> list[ChatGenerationChunk]:
        """Chunks for one event (none for bookkeeping events)."""
        chunk = self.builder.feed(event)
        if chunk is None or self.stopped:
            return []
        if self.filter is not None:
            chunk = self._filtered(chunk)
        return [ChatGenerationChunk(message=chunk)]

    def _filtered(self, chunk: AIMessageChunk) -> AIMessageChunk:
        assert self.filter is not None
        blocks = chunk.content
        if not (isinstance(blocks, list) and len(blocks) == 1 and isinstance(blocks[0], dict)):
            return chunk
        block = blocks[0]
        if block.get("type") != "text" or "text" not in block:
            return chunk
        text = self.filter.feed(block["text"])
        self.stopped = self.filter.stopped
        return chunk.model_copy(update={"content": [{**block, "text": text}]})

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
        return ChatGenerationChunk(message=last)
