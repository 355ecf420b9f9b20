"""How many chunks a chat stream yields: one per server event, unless events arrived together.

``coalesce_deltas`` (on by default) merges the deltas of one block that were received together
into one chunk; a consumer that keeps up sees one chunk per event, one that lags gets fewer,
larger chunks with the same merged message. Real sockets, scripted server.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest
from langchain_core.messages import AIMessageChunk, HumanMessage

from langchain_responses.chat_model import ChatResponses
from tests.stream import synthetic as syn
from tests.support.server import Reply, ScriptedServer

PIECES = [f"w{i} " for i in range(30)]
ARG_PIECES = ['{"city": "', "Par", "is", '", "days": ', "3", "}"]


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as scripted:
        yield scripted
    scripted.check()


def _model(server: ScriptedServer, **fields: Any) -> ChatResponses:
    return ChatResponses(model="gpt-4.1", api_key="sk-test", base_url=server.base_url, **fields)


def _sse(chunks: list[bytes], **options: Any) -> Reply:
    return Reply(headers={"content-type": "text/event-stream"}, chunks=chunks, **options)


def _call_stream(pieces: list[str]) -> list[bytes]:
    args = "".join(pieces)
    item = {
        "type": "function_call",
        "id": "fc_1",
        "call_id": "call_1",
        "name": "get_weather",
        "arguments": args,
        "status": "completed",
    }
    where = {"output_index": 0, "item_id": "fc_1"}
    events = [
        syn.created(),
        {
            "type": "response.output_item.added",
            "output_index": 0,
            "item": {**item, "arguments": "", "status": "in_progress"},
        },
        *({"type": "response.function_call_arguments.delta", **where, "delta": p} for p in pieces),
        {"type": "response.function_call_arguments.done", **where, "arguments": args},
        {"type": "response.output_item.done", "output_index": 0, "item": item},
        syn.terminal("completed", [item]),
    ]
    return syn.body(events)


def _text_chunks(chunks: list[AIMessageChunk]) -> list[str]:
    return [chunk.text for chunk in chunks if chunk.text]


def _lagging(stream: Iterator[AIMessageChunk]) -> list[AIMessageChunk]:
    """Consume like a slow consumer: the server sends everything during the first pause."""
    chunks = [next(stream)]
    time.sleep(0.3)
    return [*chunks, *stream]


def test_a_lagging_consumer_gets_the_buffered_deltas_as_one_chunk(server: ScriptedServer) -> None:
    server.enqueue(_sse(syn.text_stream(PIECES)))
    model = _model(server)
    chunks = _lagging(model.stream([HumanMessage("hi")]))
    model.close()
    texts = _text_chunks(chunks)
    assert "".join(texts) == "".join(PIECES)
    assert len(texts) < 5  # 30 deltas; the first read may hold a few on its own
    merged = sum(chunks[1:], chunks[0])
    assert merged.text == "".join(PIECES)
    assert merged.usage_metadata is not None


async def test_a_lagging_async_consumer_gets_the_buffered_deltas_as_one_chunk(
    server: ScriptedServer,
) -> None:
    server.enqueue(_sse(syn.text_stream(PIECES)))
    model = _model(server)
    stream = model.astream([HumanMessage("hi")])
    chunks = [await anext(stream)]
    await asyncio.sleep(0.3)
    chunks += [chunk async for chunk in stream]
    await model.aclose()
    texts = _text_chunks(chunks)
    assert "".join(texts) == "".join(PIECES)
    assert len(texts) < 5


def test_coalesce_deltas_false_keeps_one_chunk_per_event(server: ScriptedServer) -> None:
    server.enqueue(_sse(syn.text_stream(PIECES)))
    model = _model(server, coalesce_deltas=False)
    chunks = _lagging(model.stream([HumanMessage("hi")]))
    model.close()
    assert _text_chunks(chunks) == PIECES


def test_a_consumer_that_keeps_up_gets_one_chunk_per_delta(server: ScriptedServer) -> None:
    server.enqueue(_sse(syn.text_stream(PIECES[:5]), delays=0.03))
    model = _model(server)
    chunks = list(model.stream([HumanMessage("hi")]))
    model.close()
    assert _text_chunks(chunks) == PIECES[:5]


@pytest.mark.parametrize("coalesce", [True, False])
def test_buffered_argument_deltas_merge_to_the_same_tool_call(
    server: ScriptedServer, coalesce: bool
) -> None:
    server.enqueue(_sse(_call_stream(ARG_PIECES)))
    model = _model(server, coalesce_deltas=coalesce)
    chunks = _lagging(model.stream([HumanMessage("weather?")]))
    model.close()
    arg_chunks = [c for c in chunks if c.tool_call_chunks and c.tool_call_chunks[0]["args"]]
    if coalesce:
        assert len(arg_chunks) <= 2  # 6 deltas; the first read may hold some on its own
    else:
        assert [c.tool_call_chunks[0]["args"] for c in arg_chunks] == ARG_PIECES
    merged = sum(chunks[1:], chunks[0])
    assert merged.tool_calls == [
        {
            "name": "get_weather",
            "args": {"city": "Paris", "days": 3},
            "id": "call_1",
            "type": "tool_call",
        }
    ]
