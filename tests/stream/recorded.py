"""Recorded streams and responses, decoded the way the package decodes them (test support)."""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from langchain_core.messages import AIMessage, AIMessageChunk

from langchain_responses._http.sse import SSEDecoder
from langchain_responses._wire.events import ResponseStreamEvent
from langchain_responses._wire.response import Response
from langchain_responses.stream.state import ResponseStreamState
from tests.support.recordings import Interaction, Recording, load_recordings


@dataclass(frozen=True)
class Recorded:
    """One recorded interaction, named ``<recording>#<index>``."""

    recording: Recording
    index: int

    @property
    def id(self) -> str:
        return f"{self.recording.name}#{self.index}"

    @property
    def interaction(self) -> Interaction:
        return self.recording.interactions[self.index]

    @property
    def sse(self) -> bytes:
        body = self.interaction.response.body_sse
        assert body is not None
        return body.encode()


def streamed() -> list[Recorded]:
    """Every recorded interaction whose response is an SSE stream."""
    return [
        Recorded(recording, index)
        for recording in load_recordings()
        for index, interaction in enumerate(recording.interactions)
        if interaction.response.body_sse is not None
    ]


def json_responses() -> list[Recorded]:
    """Every recorded successful JSON ``Response`` body (create or retrieve)."""
    return [
        Recorded(recording, index)
        for recording in load_recordings()
        for index, interaction in enumerate(recording.interactions)
        if _is_response(interaction)
    ]


def _is_response(interaction: Interaction) -> bool:
    body = interaction.response.body_json
    path = interaction.request.path
    return (
        isinstance(body, dict)
        and body.get("object") == "response"
        and interaction.response.status == 200
        and not path.endswith(("/compact", "/input_tokens"))
    )


def decode(pieces: Iterable[bytes]) -> tuple[list[ResponseStreamEvent], ResponseStreamState]:
    """Typed events of an SSE body fed in ``pieces``, and the finished stream state."""
    decoder, state = SSEDecoder(), ResponseStreamState()
    events: list[ResponseStreamEvent] = []
    for piece in [*pieces, b""]:
        for sse in decoder.feed(piece) if piece else decoder.flush():
            event = state.feed(sse)
            if event is not None:
                events.append(event)
    state.finish()
    return events, state


def final_response(body: bytes) -> Response:
    """The response a recorded stream ends with."""
    _, state = decode([body])
    assert state.response is not None
    return state.response


def merge(chunks: Sequence[AIMessageChunk]) -> AIMessageChunk:
    """All chunks added up, as LangChain merges a stream."""
    merged: AIMessageChunk = functools.reduce(operator.add, chunks)
    return merged


def assert_same_message(merged: AIMessage, expected: AIMessage) -> None:
    """What the parity tests compare: content, tool calls, usage and metadata."""
    assert merged.content == expected.content
    assert merged.tool_calls == expected.tool_calls
    assert merged.invalid_tool_calls == expected.invalid_tool_calls
    assert merged.usage_metadata == expected.usage_metadata
    assert merged.response_metadata == expected.response_metadata
    assert merged.id == expected.id
