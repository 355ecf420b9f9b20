"""Every ``client.responses`` and ``client.conversations`` method, over a real loopback server.

Each test runs with the sync and the async client. Requests are checked for method, path,
query and (where there is one) a body that validates against the OpenAPI spec.
"""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pytest
from pydantic import BaseModel

from langchain_responses import errors
from langchain_responses._wire import events as ev
from langchain_responses._wire.items import MessageItem
from langchain_responses._wire.response import (
    CompactedResponse,
    Conversation,
    ConversationDeleted,
    ItemList,
    Response,
    ResponseDeleted,
)
from tests.client._events import response_json, text_events
from tests.client._twin import API_KEY, Twin
from tests.client.conftest import MakeTwin
from tests.support.server import RecordedRequest, Reply, ScriptedServer
from tests.support.spec import validate_request

pytestmark = pytest.mark.timeout(30)

CONVERSATION = {"id": "conv_1", "object": "conversation", "created_at": 1, "metadata": {"k": "v"}}
TOOLS = [
    {
        "type": "function",
        "name": "get_weather",
        "description": "Weather for a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
            "additionalProperties": False,
        },
        "strict": True,
    }
]


def user_item(item_id: str, text: str = "hi") -> dict[str, Any]:
    return {
        "id": item_id,
        "type": "message",
        "role": "user",
        "status": "completed",
        "content": [{"type": "input_text", "text": text}],
    }


def page(ids: list[str], *, has_more: bool) -> dict[str, Any]:
    return {
        "object": "list",
        "data": [user_item(i) for i in ids],
        "first_id": ids[0] if ids else None,
        "last_id": ids[-1] if ids else None,
        "has_more": has_more,
    }


def only_request(server: ScriptedServer) -> RecordedRequest:
    (request,) = server.requests
    return request


def assert_valid_body(request: RecordedRequest) -> None:
    assert request.headers["content-type"] == "application/json"
    validate_request(request.path, request.method, request.json)


def assert_no_body(request: RecordedRequest) -> None:
    assert request.body == b""
    assert "content-type" not in request.headers


# --------------------------------------------------------------------------- responses


async def test_create(scripted_server: ScriptedServer, twin: Twin) -> None:
    scripted_server.enqueue(Reply(json=response_json(), headers={"x-request-id": "req_1"}))

    response = await twin.call(
        "responses.create",
        model="gpt-test",
        input="What is the weather in Paris?",
        instructions="Be brief.",
        tools=TOOLS,
        tool_choice="auto",
        temperature=0.5,
        top_p=0.9,
        max_output_tokens=64,
        metadata={"run": "1"},
        include=["reasoning.encrypted_content"],
        reasoning={"effort": "low"},
        text={"verbosity": "low"},
        store=False,
    )

    assert isinstance(response, Response)
    assert response.output_text == "Hello!"
    request = only_request(scripted_server)
    assert (request.method, request.path, request.query) == ("POST", "/v1/responses", {})
    assert_valid_body(request)
    assert request.json["tools"] == TOOLS
    assert request.json["store"] is False
    assert "stream" not in request.json
    assert request.headers["authorization"] == f"Bearer {API_KEY}"
    assert request.headers["accept"] == "application/json"


async def test_create_stream(scripted_server: ScriptedServer, twin: Twin) -> None:
    scripted_server.enqueue(Reply.sse(text_events(["Hi", " there"])))

    stream = await twin.call("responses.create", model="gpt-test", input="hi", stream=True)
    events = await twin.collect(stream)

    assert isinstance(events[-1], ev.ResponseCompletedEvent)
    assert stream.output_text == "Hi there"
    assert stream.response.id == "resp_1"
    request = only_request(scripted_server)
    assert (request.method, request.path, request.query) == ("POST", "/v1/responses", {})
    assert request.json == {"model": "gpt-test", "input": "hi", "stream": True}
    assert_valid_body(request)


async def test_stream_context_manager(scripted_server: ScriptedServer, twin: Twin) -> None:
    scripted_server.enqueue(Reply.sse(text_events(["Hel", "lo"])))

    events, final, text = await twin.managed_stream(model="gpt-test", input="hi")

    assert text == "Hello"
    assert final.output_text == "Hello"
    assert final.status == "completed"
    assert final.to_dict() == events[-1].response.to_dict()
    request = only_request(scripted_server)
    assert request.json["stream"] is True
    assert_valid_body(request)


async def test_stream_get_final_response_consumes_the_stream(
    scripted_server: ScriptedServer, twin: Twin
) -> None:
    scripted_server.enqueue(Reply.sse(text_events(["a", "b"])))

    stream = twin.client.responses.stream(model="gpt-test", input="hi")
    if twin.mode == "sync":
        with stream as opened:  # type: ignore[union-attr]
            final = opened.get_final_response()
    else:
        async with stream as aopened:  # type: ignore[union-attr]
            final = await aopened.get_final_response()

    assert final.output_text == "ab"


async def test_stream_resume_by_id(scripted_server: ScriptedServer, twin: Twin) -> None:
    events = text_events(["a", "b", "c"], response_id="resp_bg", background=True)
    scripted_server.enqueue(Reply.sse(events[5:]))

    received, final, text = await twin.managed_stream(response_id="resp_bg", starting_after=4)

    assert [e.sequence_number for e in received] == list(range(5, len(events)))
    assert final.id == "resp_bg"
    assert text == "abc"
    request = only_request(scripted_server)
    assert (request.method, request.path) == ("GET", "/v1/responses/resp_bg")
    assert request.query == {"stream": "true", "starting_after": "4"}
    assert_no_body(request)


async def test_retrieve_with_include(scripted_server: ScriptedServer, twin: Twin) -> None:
    scripted_server.enqueue(Reply(json=response_json("resp_9")))

    response = await twin.call(
        "responses.retrieve",
        "resp_9",
        include=["file_search_call.results", "message.output_text.logprobs"],
        include_obfuscation=False,
    )

    assert response.id == "resp_9"
    request = only_request(scripted_server)
    assert (request.method, request.path) == ("GET", "/v1/responses/resp_9")
    assert request.query == {
        "include[]": ["file_search_call.results", "message.output_text.logprobs"],
        "include_obfuscation": "false",
    }
    assert "include%5B%5D=file_search_call.results&include%5B%5D=" in request.target
    assert_no_body(request)


async def test_retrieve_stream_with_starting_after(
    scripted_server: ScriptedServer, twin: Twin
) -> None:
    events = text_events(["x", "y"], background=True)
    scripted_server.enqueue(Reply.sse(events[3:]))

    stream = await twin.call(
        "responses.retrieve",
        "resp_1",
        stream=True,
        starting_after=2,
        include=["reasoning.encrypted_content"],
    )
    received = await twin.collect(stream)

    assert received[0].sequence_number == 3
    assert stream.output_text == "xy"
    request = only_request(scripted_server)
    assert (request.method, request.path) == ("GET", "/v1/responses/resp_1")
    assert request.query == {
        "include[]": "reasoning.encrypted_content",
        "stream": "true",
        "starting_after": "2",
    }


async def test_retrieve_quotes_the_id(scripted_server: ScriptedServer, twin: Twin) -> None:
    scripted_server.enqueue(Reply(json=response_json("resp/../x?y")))

    await twin.call("responses.retrieve", "resp/../x?y")

    request = only_request(scripted_server)
    assert request.path == "/v1/responses/resp%2F..%2Fx%3Fy"
    assert request.query == {}


@pytest.mark.parametrize(
    "reply",
    [
        Reply(json={"id": "resp_1", "object": "response", "deleted": True}),
        Reply(body=b""),
    ],
    ids=["body", "empty"],
)
async def test_delete(scripted_server: ScriptedServer, twin: Twin, reply: Reply) -> None:
    scripted_server.enqueue(reply)

    deleted = await twin.call("responses.delete", "resp_1")

    assert isinstance(deleted, ResponseDeleted)
    assert (deleted.id, deleted.deleted) == ("resp_1", True)
    request = only_request(scripted_server)
    assert (request.method, request.path, request.query) == ("DELETE", "/v1/responses/resp_1", {})
    assert_no_body(request)


async def test_cancel(scripted_server: ScriptedServer, twin: Twin) -> None:
    scripted_server.enqueue(Reply(json=response_json(status="cancelled", text=None)))

    response = await twin.call("responses.cancel", "resp_1")

    assert response.status == "cancelled"
    request = only_request(scripted_server)
    assert (request.method, request.path, request.query) == (
        "POST",
        "/v1/responses/resp_1/cancel",
        {},
    )
    assert_no_body(request)


class Weather(BaseModel):
    city: str
    temperature_c: float


async def test_parse(scripted_server: ScriptedServer, twin: Twin) -> None:
    payload = json.dumps({"city": "Paris", "temperature_c": 21.5})
    scripted_server.enqueue(Reply(json=response_json(text=payload)))

    parsed = await twin.call(
        "responses.parse", text_format=Weather, model="gpt-test", input="Weather?"
    )

    assert parsed.output_parsed == Weather(city="Paris", temperature_c=21.5)
    assert parsed.refusal is None
    request = only_request(scripted_server)
    assert (request.method, request.path) == ("POST", "/v1/responses")
    assert_valid_body(request)
    fmt = request.json["text"]["format"]
    assert fmt["type"] == "json_schema"
    assert fmt["strict"] is True
    assert fmt["schema"]["additionalProperties"] is False
    assert set(fmt["schema"]["required"]) == {"city", "temperature_c"}


async def test_parse_keeps_other_text_settings(scripted_server: ScriptedServer, twin: Twin) -> None:
    scripted_server.enqueue(Reply(json=response_json(text='{"city": "X", "temperature_c": 1}')))

    await twin.call(
        "responses.parse", text_format=Weather, model="m", input="q", text={"verbosity": "low"}
    )

    request = only_request(scripted_server)
    assert request.json["text"]["verbosity"] == "low"
    assert_valid_body(request)


async def test_parse_refusal(scripted_server: ScriptedServer, twin: Twin) -> None:
    body = response_json(text=None)
    body["output"] = [
        {
            "id": "msg_1",
            "type": "message",
            "role": "assistant",
            "status": "completed",
            "content": [{"type": "refusal", "refusal": "I can't help with that."}],
        }
    ]
    scripted_server.enqueue(Reply(json=body))

    parsed = await twin.call("responses.parse", text_format=Weather, model="m", input="q")

    assert parsed.output_parsed is None
    assert parsed.refusal == "I can't help with that."


async def test_parse_output_not_matching_the_model(
    scripted_server: ScriptedServer, twin: Twin
) -> None:
    scripted_server.enqueue(Reply(json=response_json(text='{"city": 3}')))

    with pytest.raises(errors.APIError, match="Weather"):
        await twin.call("responses.parse", text_format=Weather, model="m", input="q")


async def test_input_items_list_walks_every_page(
    scripted_server: ScriptedServer, twin: Twin
) -> None:
    scripted_server.enqueue(
        Reply(json=page(["msg_1", "msg_2"], has_more=True)),
        Reply(json=page(["msg_3", "msg_4"], has_more=True)),
        Reply(json=page(["msg_5"], has_more=False)),
    )

    first = await twin.call(
        "responses.input_items.list",
        "resp_1",
        limit=2,
        order="asc",
        include=["message.input_image.image_url"],
    )
    items = await twin.collect(first)

    assert [item.id for item in first.data] == ["msg_1", "msg_2"]
    assert first.has_more
    assert [item.id for item in items] == ["msg_1", "msg_2", "msg_3", "msg_4", "msg_5"]
    assert all(isinstance(item, MessageItem) for item in items)
    requests = scripted_server.requests
    assert [(r.method, r.path) for r in requests] == [
        ("GET", "/v1/responses/resp_1/input_items")
    ] * 3
    base = {"limit": "2", "order": "asc", "include[]": "message.input_image.image_url"}
    assert [r.query for r in requests] == [
        base,
        {**base, "after": "msg_2"},
        {**base, "after": "msg_4"},
    ]


async def test_input_items_next_page_by_hand(scripted_server: ScriptedServer, twin: Twin) -> None:
    # No last_id in the envelope: the cursor is the id of the last element.
    second = page(["msg_2"], has_more=False)
    first = page(["msg_1"], has_more=True)
    first["last_id"] = None
    scripted_server.enqueue(Reply(json=first), Reply(json=second))

    page_one = await twin.call("responses.input_items.list", "resp_1")
    nxt = page_one.next_page()
    page_two = await nxt if twin.mode == "async" else nxt

    assert [i.id for i in page_two.data] == ["msg_2"]
    last = page_two.next_page()
    assert (await last if twin.mode == "async" else last) is None
    assert scripted_server.requests[1].query == {"after": "msg_1"}


async def test_input_tokens_count(scripted_server: ScriptedServer, twin: Twin) -> None:
    scripted_server.enqueue(Reply(json={"object": "response.input_tokens", "input_tokens": 42}))

    count = await twin.call(
        "responses.input_tokens.count",
        model="gpt-test",
        input=[{"role": "user", "content": "Hello"}],
        tools=TOOLS,
        instructions="Be brief.",
    )

    assert count == 42
    request = only_request(scripted_server)
    assert (request.method, request.path, request.query) == (
        "POST",
        "/v1/responses/input_tokens",
        {},
    )
    assert_valid_body(request)


async def test_compact(scripted_server: ScriptedServer, twin: Twin) -> None:
    compacted = {
        "id": "cmp_1",
        "object": "response.compaction",
        "created_at": 1,
        "output": [
            user_item("msg_1"),
            {"id": "cmp_item_1", "type": "compaction", "encrypted_content": "gAAA..."},
        ],
        "usage": response_json()["usage"],
    }
    scripted_server.enqueue(Reply(json=compacted))

    result = await twin.call(
        "responses.compact",
        model="gpt-test",
        input=[{"role": "user", "content": "hi"}],
        instructions="Keep it.",
    )

    assert isinstance(result, CompactedResponse)
    assert result.id == "cmp_1"
    assert result.output[1].to_dict()["type"] == "compaction"
    request = only_request(scripted_server)
    assert (request.method, request.path) == ("POST", "/v1/responses/compact")
    assert_valid_body(request)


# --------------------------------------------------------------------------- conversations


async def test_conversation_create(scripted_server: ScriptedServer, twin: Twin) -> None:
    scripted_server.enqueue(Reply(json=CONVERSATION))

    conversation = await twin.call(
        "conversations.create",
        items=[{"type": "message", "role": "user", "content": "Hello"}],
        metadata={"topic": "demo"},
    )

    assert isinstance(conversation, Conversation)
    assert conversation.id == "conv_1"
    request = only_request(scripted_server)
    assert (request.method, request.path, request.query) == ("POST", "/v1/conversations", {})
    assert request.json == {
        "items": [{"type": "message", "role": "user", "content": "Hello"}],
        "metadata": {"topic": "demo"},
    }
    assert_valid_body(request)


async def test_conversation_create_empty(scripted_server: ScriptedServer, twin: Twin) -> None:
    scripted_server.enqueue(Reply(json=CONVERSATION))

    await twin.call("conversations.create")

    request = only_request(scripted_server)
    assert request.json == {}
    assert_valid_body(request)


async def test_conversation_retrieve(scripted_server: ScriptedServer, twin: Twin) -> None:
    scripted_server.enqueue(Reply(json=CONVERSATION))

    conversation = await twin.call("conversations.retrieve", "conv_1")

    assert conversation.metadata == {"k": "v"}
    request = only_request(scripted_server)
    assert (request.method, request.path, request.query) == ("GET", "/v1/conversations/conv_1", {})
    assert_no_body(request)


async def test_conversation_update(scripted_server: ScriptedServer, twin: Twin) -> None:
    scripted_server.enqueue(Reply(json={**CONVERSATION, "metadata": {"a": "b"}}))

    conversation = await twin.call("conversations.update", "conv_1", metadata={"a": "b"})

    assert conversation.metadata == {"a": "b"}
    request = only_request(scripted_server)
    assert (request.method, request.path) == ("POST", "/v1/conversations/conv_1")
    assert request.json == {"metadata": {"a": "b"}}
    assert_valid_body(request)


async def test_conversation_delete(scripted_server: ScriptedServer, twin: Twin) -> None:
    scripted_server.enqueue(
        Reply(json={"id": "conv_1", "object": "conversation.deleted", "deleted": True})
    )

    deleted = await twin.call("conversations.delete", "conv_1")

    assert isinstance(deleted, ConversationDeleted)
    assert deleted.deleted is True
    request = only_request(scripted_server)
    assert (request.method, request.path) == ("DELETE", "/v1/conversations/conv_1")
    assert_no_body(request)


async def test_conversation_items_create(scripted_server: ScriptedServer, twin: Twin) -> None:
    scripted_server.enqueue(Reply(json=page(["msg_1", "msg_2"], has_more=False)))

    created = await twin.call(
        "conversations.items.create",
        "conv_1",
        items=[
            {"type": "message", "role": "user", "content": "one"},
            {"role": "assistant", "content": "two"},
        ],
        include=["message.input_image.image_url"],
    )

    assert isinstance(created, ItemList)
    assert [item.id for item in created.data] == ["msg_1", "msg_2"]
    request = only_request(scripted_server)
    assert (request.method, request.path) == ("POST", "/v1/conversations/conv_1/items")
    assert request.query == {"include[]": "message.input_image.image_url"}
    assert_valid_body(request)


async def test_conversation_items_create_refuses_more_than_20(
    scripted_server: ScriptedServer, twin: Twin
) -> None:
    items = [{"role": "user", "content": str(i)} for i in range(21)]

    with pytest.raises(errors.InvalidRequestError, match="20"):
        await twin.call("conversations.items.create", "conv_1", items=items)
    with pytest.raises(errors.InvalidRequestError, match="20"):
        await twin.call("conversations.create", items=items)
    assert scripted_server.requests == []


async def test_conversation_items_list_walks_every_page(
    scripted_server: ScriptedServer, twin: Twin
) -> None:
    scripted_server.enqueue(
        Reply(json=page(["a1", "a2"], has_more=True)),
        Reply(json=page(["a3"], has_more=False)),
    )

    first = await twin.call("conversations.items.list", "conv_1", limit=2, order="desc")
    items = await twin.collect(first)

    assert [item.id for item in items] == ["a1", "a2", "a3"]
    first_request, second_request = scripted_server.requests
    assert (first_request.method, first_request.path) == ("GET", "/v1/conversations/conv_1/items")
    assert first_request.query == {"limit": "2", "order": "desc"}
    assert second_request.query == {"limit": "2", "order": "desc", "after": "a2"}


async def test_conversation_items_list_empty_page(
    scripted_server: ScriptedServer, twin: Twin
) -> None:
    scripted_server.enqueue(Reply(json={"object": "list", "data": [], "has_more": False}))

    first = await twin.call("conversations.items.list", "conv_1")

    assert await twin.collect(first) == []
    assert len(scripted_server.requests) == 1


async def test_conversation_item_retrieve(scripted_server: ScriptedServer, twin: Twin) -> None:
    scripted_server.enqueue(Reply(json=user_item("msg_7", "stored")))

    item = await twin.call(
        "conversations.items.retrieve", "conv_1", "msg_7", include=["file_search_call.results"]
    )

    assert isinstance(item, MessageItem)
    assert item.id == "msg_7"
    request = only_request(scripted_server)
    assert (request.method, request.path) == ("GET", "/v1/conversations/conv_1/items/msg_7")
    assert request.query == {"include[]": "file_search_call.results"}
    assert_no_body(request)


async def test_conversation_item_delete(scripted_server: ScriptedServer, twin: Twin) -> None:
    scripted_server.enqueue(Reply(json=CONVERSATION))

    parent = await twin.call("conversations.items.delete", "conv_1", "msg_7")

    assert isinstance(parent, Conversation)
    assert parent.id == "conv_1"
    request = only_request(scripted_server)
    assert (request.method, request.path) == ("DELETE", "/v1/conversations/conv_1/items/msg_7")
    assert_no_body(request)


# --------------------------------------------------------------------------- per-call options


@dataclass(frozen=True)
class Call:
    """One endpoint call and the request it must produce."""

    dotted: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    reply: Reply
    method: str
    path: str
    query: dict[str, Any] = field(default_factory=dict)
    has_body: bool = False

    def __str__(self) -> str:
        return self.dotted


CALLS = [
    Call(
        "responses.create",
        (),
        {"model": "m", "input": "hi"},
        Reply(json=response_json()),
        "POST",
        "/v1/responses",
        has_body=True,
    ),
    Call(
        "responses.retrieve",
        ("resp_1",),
        {"include": ["a"]},
        Reply(json=response_json()),
        "GET",
        "/v1/responses/resp_1",
        {"include[]": "a"},
    ),
    Call(
        "responses.delete",
        ("resp_1",),
        {},
        Reply(json={"id": "resp_1", "deleted": True}),
        "DELETE",
        "/v1/responses/resp_1",
    ),
    Call(
        "responses.cancel",
        ("resp_1",),
        {},
        Reply(json=response_json(status="cancelled")),
        "POST",
        "/v1/responses/resp_1/cancel",
    ),
    Call(
        "responses.parse",
        (),
        {"text_format": Weather, "model": "m", "input": "q"},
        Reply(json=response_json(text='{"city": "X", "temperature_c": 1}')),
        "POST",
        "/v1/responses",
        has_body=True,
    ),
    Call(
        "responses.input_items.list",
        ("resp_1",),
        {"limit": 5},
        Reply(json=page(["m1"], has_more=False)),
        "GET",
        "/v1/responses/resp_1/input_items",
        {"limit": "5"},
    ),
    Call(
        "responses.input_tokens.count",
        (),
        {"model": "m", "input": "hi"},
        Reply(json={"object": "response.input_tokens", "input_tokens": 3}),
        "POST",
        "/v1/responses/input_tokens",
        has_body=True,
    ),
    Call(
        "responses.compact",
        (),
        {"model": "m", "input": "hi"},
        Reply(json={"id": "cmp_1", "object": "response.compaction", "output": []}),
        "POST",
        "/v1/responses/compact",
        has_body=True,
    ),
    Call(
        "conversations.create",
        (),
        {"metadata": {"a": "b"}},
        Reply(json=CONVERSATION),
        "POST",
        "/v1/conversations",
        has_body=True,
    ),
    Call(
        "conversations.retrieve",
        ("conv_1",),
        {},
        Reply(json=CONVERSATION),
        "GET",
        "/v1/conversations/conv_1",
    ),
    Call(
        "conversations.update",
        ("conv_1",),
        {"metadata": {"a": "b"}},
        Reply(json=CONVERSATION),
        "POST",
        "/v1/conversations/conv_1",
        has_body=True,
    ),
    Call(
        "conversations.delete",
        ("conv_1",),
        {},
        Reply(json={"id": "conv_1", "object": "conversation.deleted", "deleted": True}),
        "DELETE",
        "/v1/conversations/conv_1",
    ),
    Call(
        "conversations.items.create",
        ("conv_1",),
        {"items": [{"role": "user", "content": "x"}]},
        Reply(json=page(["m1"], has_more=False)),
        "POST",
        "/v1/conversations/conv_1/items",
        has_body=True,
    ),
    Call(
        "conversations.items.list",
        ("conv_1",),
        {},
        Reply(json=page(["m1"], has_more=False)),
        "GET",
        "/v1/conversations/conv_1/items",
    ),
    Call(
        "conversations.items.retrieve",
        ("conv_1", "m1"),
        {},
        Reply(json=user_item("m1")),
        "GET",
        "/v1/conversations/conv_1/items/m1",
    ),
    Call(
        "conversations.items.delete",
        ("conv_1", "m1"),
        {},
        Reply(json=CONVERSATION),
        "DELETE",
        "/v1/conversations/conv_1/items/m1",
    ),
]


@pytest.mark.parametrize("call", CALLS, ids=str)
async def test_every_method_sends_what_it_should(
    scripted_server: ScriptedServer, make_twin: MakeTwin, call: Call
) -> None:
    plain = make_twin()
    scripted_server.enqueue(call.reply)

    await plain.call(call.dotted, *call.args, **call.kwargs)

    (request,) = scripted_server.requests
    assert (request.method, request.path, request.query) == (call.method, call.path, call.query)
    if call.has_body:
        assert_valid_body(request)
    else:
        assert_no_body(request)


@pytest.mark.parametrize("call", CALLS, ids=str)
async def test_every_method_takes_the_per_call_options(
    scripted_server: ScriptedServer, make_twin: MakeTwin, call: Call
) -> None:
    twin = make_twin(organization="org-1", default_headers={"X-Default": "d"})
    scripted_server.enqueue(call.reply)

    await twin.call(
        call.dotted,
        *call.args,
        **call.kwargs,
        extra_headers={"X-Extra": "e", "OpenAI-Organization": None, "x-default": "over"},
        extra_query={"api-version": "2025-01-01", "dropped": None},
        extra_body={"vendor": {"flag": True}},
    )

    (request,) = scripted_server.requests
    assert (request.method, request.path) == (call.method, call.path)
    assert request.headers["x-extra"] == "e"
    assert request.headers["x-default"] == "over"
    assert "openai-organization" not in request.headers
    assert request.query == {**call.query, "api-version": "2025-01-01"}
    assert request.json["vendor"] == {"flag": True}
    rest = {k: v for k, v in request.json.items() if k != "vendor"}
    if call.has_body:
        validate_request(request.path, request.method, rest)
    else:
        assert rest == {}

    # max_retries per call: one retry, then none.
    scripted_server.enqueue(Reply.error(503, headers={"retry-after-ms": "5"}), call.reply)
    await twin.call(call.dotted, *call.args, **call.kwargs, max_retries=1)
    assert len(scripted_server.requests) == 3

    scripted_server.enqueue(Reply.error(503))
    with pytest.raises(errors.InternalServerError):
        await twin.call(call.dotted, *call.args, **call.kwargs, max_retries=0)
    assert len(scripted_server.requests) == 4


@pytest.mark.parametrize("call", CALLS[:4], ids=str)
async def test_per_call_timeout(scripted_server: ScriptedServer, twin: Twin, call: Call) -> None:
    scripted_server.enqueue(Reply(json={}, delay_headers=3))

    with pytest.raises(errors.APITimeoutError):
        await twin.call(call.dotted, *call.args, **call.kwargs, timeout=0.2, max_retries=0)


async def test_extra_headers_can_remove_authorization(
    scripted_server: ScriptedServer, twin: Twin
) -> None:
    scripted_server.enqueue(Reply(json=response_json()))

    await twin.call("responses.retrieve", "resp_1", extra_headers={"Authorization": None})

    assert "authorization" not in only_request(scripted_server).headers


async def test_extra_body_overrides_fields(scripted_server: ScriptedServer, twin: Twin) -> None:
    scripted_server.enqueue(Reply(json=response_json()))

    await twin.call("responses.create", model="m", input="hi", extra_body={"model": "other"})

    assert only_request(scripted_server).json == {"model": "other", "input": "hi"}


async def test_default_query_is_sent_everywhere(
    scripted_server: ScriptedServer, make_twin: MakeTwin
) -> None:
    twin = make_twin(default_query={"api-version": "v"})
    scripted_server.enqueue(Reply(json=response_json()), Reply(json=CONVERSATION))

    await twin.call("responses.create", model="m", input="hi")
    await twin.call("conversations.retrieve", "conv_1", extra_query={"x": "1"})

    assert [r.query for r in scripted_server.requests] == [
        {"api-version": "v"},
        {"api-version": "v", "x": "1"},
    ]


# --------------------------------------------------------------------------- seed forms


async def test_single_dict_input_is_sent_as_a_list(
    scripted_server: ScriptedServer, twin: Twin
) -> None:
    scripted_server.enqueue(Reply(json=response_json()))
    message = {"role": "user", "content": "Hello"}

    await twin.call("responses.create", model="m", input=message)

    request = only_request(scripted_server)
    assert request.json["input"] == [message]
    assert_valid_body(request)


async def test_seed_computer_use_tool_is_rewritten(
    scripted_server: ScriptedServer, twin: Twin
) -> None:
    scripted_server.enqueue(Reply(json=response_json()))
    seed_tool = {
        "type": "computer_use",
        "display_width_px": 1024,
        "display_height_px": 768,
        "display_number": 1,
    }

    await twin.call(
        "responses.create",
        model="computer-use-preview",
        input=[{"role": "user", "content": "Open the browser"}],
        tools=[seed_tool],
        truncation="auto",
    )

    request = only_request(scripted_server)
    assert request.json["tools"] == [
        {
            "type": "computer_use_preview",
            "display_width": 1024,
            "display_height": 768,
            "environment": "linux",
        }
    ]
    assert_valid_body(request)


async def test_seed_forms_in_input_tokens_and_compact(
    scripted_server: ScriptedServer, twin: Twin
) -> None:
    scripted_server.enqueue(
        Reply(json={"object": "response.input_tokens", "input_tokens": 1}),
        Reply(json={"id": "cmp_1", "object": "response.compaction", "output": []}),
    )
    message = {"role": "user", "content": "Hello"}
    tool = {"type": "computer_use", "display_width_px": 800, "display_height_px": 600}

    await twin.call("responses.input_tokens.count", model="m", input=message, tools=[tool])
    await twin.call("responses.compact", model="m", input=message)

    counted, compacted = scripted_server.requests
    assert counted.json["input"] == [message]
    assert counted.json["tools"][0]["type"] == "computer_use_preview"
    assert compacted.json["input"] == [message]
    assert_valid_body(counted)
    assert_valid_body(compacted)


# --------------------------------------------------------------------------- refused early


REFUSED = [
    ("responses.create", (), {"model": "m", "input": "hi", "temperature": 3}),
    ("responses.create", (), {"model": "m", "input": "hi", "temperature": -0.1}),
    ("responses.create", (), {"model": "m", "input": "hi", "top_p": 1.5}),
    ("responses.create", (), {"model": "m", "input": "hi", "max_output_tokens": 5}),
    ("responses.create", (), {"model": "m", "input": "hi", "temperature": "hot"}),
    (
        "responses.create",
        (),
        {"model": "m", "input": "hi", "metadata": {f"k{i}": "v" for i in range(17)}},
    ),
    ("responses.create", (), {"model": "m", "input": "hi", "metadata": {"k": 1}}),
    ("responses.create", (), {"model": "m", "input": "hi", "metadata": {"k" * 65: "v"}}),
    ("responses.create", (), {"model": "m", "input": "hi", "tools": [{"name": "f"}]}),
    ("responses.create", (), {"model": "m", "input": "hi", "tools": "file_search"}),
    ("responses.create", (), {"model": "m", "input": 42}),
    ("responses.create", (), {"model": "m", "input": "hi", "stream": True, "temperature": 3}),
    ("responses.stream", (), {"model": "m", "input": "hi", "temperature": 3}),
    ("responses.parse", (), {"text_format": dict, "model": "m", "input": "hi"}),
    ("responses.parse", (), {"text_format": Weather, "model": "m", "temperature": 9}),
    ("responses.input_tokens.count", (), {"model": "m", "tools": [{}]}),
    ("responses.compact", (), {"input": "hi"}),
    ("responses.retrieve", ("",), {}),
    ("responses.retrieve", ("",), {"stream": True}),
    ("responses.stream", (), {"response_id": ""}),
    ("responses.delete", ("",), {}),
    ("responses.cancel", ("",), {}),
    ("responses.input_items.list", ("",), {}),
    ("conversations.create", (), {"metadata": {f"k{i}": "v" for i in range(17)}}),
    ("conversations.update", ("conv_1",), {"metadata": {f"k{i}": "v" for i in range(17)}}),
    ("conversations.update", ("conv_1",), {"metadata": {"k": "v" * 513}}),
    ("conversations.retrieve", ("",), {}),
    ("conversations.update", ("",), {"metadata": {}}),
    ("conversations.delete", ("",), {}),
    ("conversations.items.list", ("",), {}),
    ("conversations.items.retrieve", ("conv_1", ""), {}),
    ("conversations.items.delete", ("", "m1"), {}),
]


async def test_bad_input_is_refused_before_any_request(
    scripted_server: ScriptedServer, twin: Twin
) -> None:
    accepted: list[str] = []
    messages: list[str] = []
    for index, (dotted, args, kwargs) in enumerate(REFUSED):
        try:
            await twin.call(dotted, *args, **kwargs)
        except errors.InvalidRequestError as exc:  # also a ValueError
            messages.append(str(exc))
        else:
            accepted.append(f"#{index} {dotted}{args} {kwargs}")

    assert not accepted, "sent instead of refused:\n" + "\n".join(accepted)
    assert len(messages) == len(REFUSED)
    assert all(messages)
    assert scripted_server.requests == []
    assert scripted_server.connections_accepted == 0


async def test_concurrent_calls_share_one_client(
    mode: str, scripted_server: ScriptedServer
) -> None:
    def answer(request: RecordedRequest) -> Reply:
        response_id = request.path.rsplit("/", 1)[1]
        return Reply(json=response_json(response_id), delays=0.05)

    scripted_server.default = answer
    ids = [f"resp_{i}" for i in range(8)]
    twin = Twin(mode, base_url=scripted_server.base_url)  # type: ignore[arg-type]
    try:
        if mode == "async":
            results = await asyncio.gather(*(twin.call("responses.retrieve", i) for i in ids))
        else:
            with ThreadPoolExecutor(max_workers=8) as pool:
                results = list(pool.map(twin.client.responses.retrieve, ids))
    finally:
        await twin.close()

    assert [r.id for r in results] == ids
    assert sorted(r.path for r in scripted_server.requests) == sorted(
        f"/v1/responses/{i}" for i in ids
    )
    assert scripted_server.connections_accepted > 1
