"""Streaming parity: every recorded stream, merged, equals the non-streamed conversion.

Three levels: the sans-I/O pieces (``ResponseStreamState`` + ``ChunkBuilder`` / ``ChatStream``)
fed whole and at arbitrary byte boundaries, and ``ChatResponses.stream()`` / ``astream()`` over
a real local server replaying the recording, compared with ``invoke()`` of the same final
response served as JSON.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator

import pytest
from langchain_core.messages import AIMessageChunk, HumanMessage

from langchain_responses.chat_model import ChatResponses
from langchain_responses.convert.output import to_ai_message
from langchain_responses.stream.chunks import ChunkBuilder
from langchain_responses.stream.run import ChatStream
from tests.stream.recorded import (
    Recorded,
    assert_same_message,
    decode,
    final_response,
    merge,
    streamed,
)
from tests.support.recordings import split_evenly
from tests.support.server import Reply, ScriptedServer

STREAMS = streamed()
IDS = [item.id for item in STREAMS]


def _chunks(recorded: Recorded, pieces: list[bytes] | None = None) -> list[AIMessageChunk]:
    events, state = decode(pieces or [recorded.sse])
    builder = ChunkBuilder()
    chunks = [builder.to_chunk(piece) for event in events if (piece := builder.feed(event))]
    assert state.response is not None
    return [*chunks, builder.finish(state.response)]


def _random_pieces(body: bytes, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    cuts = sorted(rng.sample(range(1, len(body)), k=min(len(body) - 1, rng.randint(1, 400))))
    return [body[a:b] for a, b in zip([0, *cuts], [*cuts, len(body)], strict=True)]


@pytest.mark.parametrize("recorded", STREAMS, ids=IDS)
@pytest.mark.parametrize("seed", [1, 2])
def test_coalesced_batches_merge_to_the_same_message(recorded: Recorded, seed: int) -> None:
    """Deltas that arrive in one network read become one chunk; the merge is unchanged."""
    events, state = decode([recorded.sse])
    rng = random.Random(seed)
    run = ChatStream()
    chunks, start = [], 0
    while start < len(events):
        size = rng.randint(1, 12)
        chunks += [c.message for c in run.feed_batch(events[start : start + size])]
        start += size
    assert state.response is not None
    chunks.append(run.finish(state.response).message)
    per_event = _chunks(recorded)
    assert len(chunks) <= len(per_event)
    assert_same_message(merge(chunks), to_ai_message(final_response(recorded.sse)))


def test_every_stream_is_covered() -> None:
    assert len(STREAMS) >= 35


@pytest.mark.parametrize("recorded", STREAMS, ids=IDS)
def test_merged_chunks_equal_the_final_response(recorded: Recorded) -> None:
    chunks = _chunks(recorded)
    expected = to_ai_message(final_response(recorded.sse))
    assert_same_message(merge(chunks), expected)
    assert chunks[-1].chunk_position == "last"
    assert all(chunk.chunk_position is None for chunk in chunks[:-1])


@pytest.mark.parametrize("recorded", STREAMS, ids=IDS)
def test_final_response_is_the_terminal_event(recorded: Recorded) -> None:
    """The accumulated response is the one the last lifecycle event carried, item for item."""
    terminal = None
    for line in recorded.sse.decode().splitlines():
        if line.startswith("data:") and '"response.' in line and '"response":' in line:
            data = json.loads(line[5:])
            if data["type"] in {"response.completed", "response.incomplete"}:
                terminal = data["response"]
    assert terminal is not None
    final = final_response(recorded.sse)
    if terminal["output"]:
        assert [item.to_dict() for item in final.output] == terminal["output"]
    assert final.id == terminal["id"]
    assert final.status == terminal["status"]


@pytest.mark.parametrize("recorded", STREAMS, ids=IDS)
def test_chat_stream_without_stop_gives_the_same_message(recorded: Recorded) -> None:
    events, state = decode([recorded.sse])
    run = ChatStream(())
    chunks = [gen.message for event in events for gen in run.feed(event)]
    last = run.finish(state.response).message
    assert isinstance(last, AIMessageChunk)
    merged = merge([*(c for c in chunks if isinstance(c, AIMessageChunk)), last])
    assert_same_message(merged, to_ai_message(final_response(recorded.sse)))
    assert not run.stopped


@pytest.mark.parametrize("recorded", STREAMS, ids=IDS)
def test_chat_stream_with_an_unmatched_stop_gives_the_same_message(recorded: Recorded) -> None:
    """Text held back as a possible stop sequence is released when its block ends."""
    events, state = decode([recorded.sse])
    run = ChatStream(["e\x00", " \x01", ".\x02"])  # common first characters, never matched
    chunks = [gen.message for event in events for gen in run.feed(event)]
    last = run.finish(state.response).message
    assert isinstance(last, AIMessageChunk)
    merged = merge([*(c for c in chunks if isinstance(c, AIMessageChunk)), last])
    assert_same_message(merged, to_ai_message(final_response(recorded.sse)))
    assert not run.stopped


@pytest.mark.parametrize("recorded", STREAMS, ids=IDS)
def test_parity_survives_any_byte_chunking(recorded: Recorded) -> None:
    expected = to_ai_message(final_response(recorded.sse))
    body = recorded.sse
    splits = [split_evenly(body, 7), _random_pieces(body, 1), _random_pieces(body, 2)]
    if len(body) < 20_000:
        splits.append([body[i : i + 1] for i in range(len(body))])
    for pieces in splits:
        assert b"".join(pieces) == body
        assert_same_message(merge(_chunks(recorded, pieces)), expected)


@pytest.mark.parametrize("recorded", STREAMS, ids=IDS)
def test_tool_call_chunks_carry_their_block_index(recorded: Recorded) -> None:
    chunks = _chunks(recorded)
    merged = merge(chunks)
    blocks = {
        block["call_id"]: block["index"]
        for block in merged.content
        if isinstance(block, dict) and block.get("call_id")
    }
    by_index: dict[int, set[str | None]] = {}
    for chunk in chunks:
        for piece in chunk.tool_call_chunks:
            assert isinstance(piece["index"], int)
            by_index.setdefault(piece["index"], set()).add(piece["id"])
    for index, ids in by_index.items():
        call_ids = ids - {None}
        assert len(call_ids) == 1, f"chunks at index {index} name {ids}"
        assert blocks[call_ids.pop()] == index
    assert {call["id"] for call in merged.tool_calls} <= set(blocks)


# -- end to end: ChatResponses over a local server ------------------------------------------


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as scripted:
        yield scripted
    scripted.check()


def _model(server: ScriptedServer) -> ChatResponses:
    return ChatResponses(model="gpt-4.1", api_key="sk-test", base_url=server.base_url)


def _stream_reply(recorded: Recorded) -> Reply:
    response = recorded.interaction.response
    return Reply(
        status=response.status,
        headers=dict(response.headers),
        chunks=split_evenly(recorded.sse, 5),
    )


@pytest.mark.parametrize("recorded", STREAMS, ids=IDS)
def test_chat_model_stream_equals_invoke(server: ScriptedServer, recorded: Recorded) -> None:
    final = final_response(recorded.sse)
    server.enqueue(_stream_reply(recorded), Reply(json=final.to_dict()))
    model = _model(server)
    try:
        chunks = list(model.stream([HumanMessage("hi")]))
        invoked = model.invoke([HumanMessage("hi")])
    finally:
        model.client.close()
    assert_same_message(merge(chunks), invoked)
    assert_same_message(invoked, to_ai_message(final))
    assert server.requests[0].json["stream"] is True
    assert "stream" not in server.requests[1].json


@pytest.mark.parametrize("recorded", STREAMS, ids=IDS)
async def test_chat_model_astream_equals_ainvoke(
    server: ScriptedServer, recorded: Recorded
) -> None:
    final = final_response(recorded.sse)
    server.enqueue(_stream_reply(recorded), Reply(json=final.to_dict()))
    model = _model(server)
    try:
        chunks = [chunk async for chunk in model.astream([HumanMessage("hi")])]
        invoked = await model.ainvoke([HumanMessage("hi")])
    finally:
        await model.async_client.aclose()
    assert_same_message(merge(chunks), invoked)


@pytest.mark.parametrize("recorded", STREAMS[:6], ids=IDS[:6])
def test_invoke_with_streaming_true_merges_the_stream(
    server: ScriptedServer, recorded: Recorded
) -> None:
    server.enqueue(_stream_reply(recorded))
    model = ChatResponses(
        model="gpt-4.1", api_key="sk-test", base_url=server.base_url, streaming=True
    )
    try:
        message = model.invoke([HumanMessage("hi")])
    finally:
        model.client.close()
    assert_same_message(message, to_ai_message(final_response(recorded.sse)))
