"""Property tests: conversions round-trip and streams parse for any input."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from langchain_responses import errors
from langchain_responses._http.sse import SSEDecoder
from langchain_responses._wire.response import Response
from langchain_responses.convert.ai import ai_items
from langchain_responses.convert.output import to_ai_message
from langchain_responses.stream.state import ResponseStreamState
from tests.faults.conftest import text_events

ids = st.text("abcdef0123456789", min_size=4, max_size=12)
texts = st.text(max_size=40)
json_args = st.dictionaries(
    st.text(min_size=1, max_size=8), st.one_of(st.integers(), texts, st.booleans()), max_size=3
)


@st.composite
def message_item(draw: st.DrawFn) -> dict[str, Any]:
    parts = draw(
        st.lists(
            st.one_of(
                texts.map(
                    lambda t: {"type": "output_text", "text": t, "annotations": [], "logprobs": []}
                ),
                texts.map(lambda t: {"type": "refusal", "refusal": t}),
            ),
            min_size=1,
            max_size=3,
        )
    )
    return {
        "type": "message",
        "id": f"msg_{draw(ids)}",
        "role": "assistant",
        "status": "completed",
        "content": parts,
    }


@st.composite
def call_item(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "type": "function_call",
        "id": f"fc_{draw(ids)}",
        "call_id": f"call_{draw(ids)}",
        "name": draw(st.sampled_from(["search", "add", "lookup"])),
        "arguments": json.dumps(draw(json_args)),
        "status": "completed",
    }


@st.composite
def reasoning_item(draw: st.DrawFn) -> dict[str, Any]:
    summary = draw(st.lists(texts.map(lambda t: {"type": "summary_text", "text": t}), max_size=2))
    return {
        "id": f"rs_{draw(ids)}",
        "type": "reasoning",
        "summary": summary,
        "encrypted_content": draw(st.text("ABCDEFgh-_=", min_size=1, max_size=30)),
    }


unknown_item = st.builds(
    lambda kind, uid, payload: {"type": f"future_{kind}", "id": f"x_{uid}", "payload": payload},
    st.sampled_from(["widget", "hologram"]),
    ids,
    json_args,
)
# Ids are unique within one response, as on the real wire.
items = st.lists(
    st.one_of(message_item(), call_item(), reasoning_item(), unknown_item),
    max_size=5,
    unique_by=(lambda item: item["id"], lambda item: item.get("call_id", item["id"])),
)


def response_with(output: list[dict[str, Any]]) -> Response:
    return Response.model_validate(
        {
            "id": "resp_prop",
            "object": "response",
            "status": "completed",
            "model": "m",
            "output": output,
        }
    )


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(items)
def test_output_items_to_message_and_back(output: list[dict[str, Any]]) -> None:
    """Items -> AIMessage -> items gives back every item; a second trip changes nothing."""
    message = to_ai_message(response_with(output))
    replayed = ai_items(message)
    non_messages = [item for item in replayed if item.get("type") != "message"]
    assert non_messages == [item for item in output if item["type"] != "message"]
    again = to_ai_message(response_with(replayed))
    assert again.content == message.content
    assert again.tool_calls == message.tool_calls


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=64), min_size=1, max_size=40), st.data())
def test_any_chunking_of_a_stream_gives_the_same_response(
    sizes: list[int], data: st.DataObject
) -> None:
    pieces = data.draw(st.lists(st.text(min_size=1, max_size=6), min_size=1, max_size=6))
    body = b"".join(
        f"event: {e['type']}\ndata: {json.dumps(e)}\n\n".encode() for e in text_events(pieces)
    )
    decoder, state, start = SSEDecoder(), ResponseStreamState(), 0
    for size in sizes * (len(body) // max(sum(sizes), 1) + 1):
        for event in decoder.feed(body[start : start + size]):
            state.feed(event)
        start += size
        if start >= len(body):
            break
    for event in decoder.flush():
        state.feed(event)
    state.finish()
    assert state.response is not None
    assert state.response.output_text == "".join(pieces)


@settings(max_examples=200)
@given(st.binary(max_size=400))
def test_garbage_gives_events_or_a_typed_error(garbage: bytes) -> None:
    decoder, state = SSEDecoder(), ResponseStreamState()
    try:
        for event in [*decoder.feed(garbage), *decoder.flush()]:
            state.feed(event)
        state.finish()
    except errors.StreamError:
        pass  # the typed outcome: malformed, incomplete, or a server-reported error
