"""``ChatResponses`` fields and call keyword arguments -> the request, on a real local server.

Also: chained calls (``use_previous_response_id``), background polling and cancellation, token
counting, and serialization with the key masked.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest
from langchain_core.load import dumpd, dumps, load
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from pydantic import SecretStr

from langchain_responses import errors
from langchain_responses.chat_model import ChatResponses
from tests.stream import synthetic as syn
from tests.support.server import RecordedRequest, Reply, ScriptedServer
from tests.support.spec import validate_request

Json = dict[str, Any]
DONE: Json = syn.terminal("completed", [syn.message_item("Hi!")])["response"]


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer(default=Reply(json=DONE)) as scripted:
        yield scripted
    scripted.check()


def _model(server: ScriptedServer, **fields: Any) -> ChatResponses:
    return ChatResponses(api_key="sk-test", base_url=server.base_url, max_retries=0, **fields)


def _sent(server: ScriptedServer, messages: list[BaseMessage] | None = None, **call: Any) -> Json:
    """The body ``invoke`` sent, after checking it against the spec."""
    fields = call.pop("fields", {})
    model = _model(server, **fields)
    try:
        model.invoke(messages or [HumanMessage("hi")], **call)
    finally:
        model.client.close()
    body: Json = server.requests[-1].json
    validate_request("/v1/responses", "POST", body)
    return body


# -- every field reaches the body ----------------------------------------------------------------

FIELDS: list[tuple[Json, Json]] = [
    ({"model": "gpt-5-mini"}, {"model": "gpt-5-mini"}),
    ({"temperature": 0.3}, {"temperature": 0.3}),
    ({"top_p": 0.5}, {"top_p": 0.5}),
    ({"max_tokens": 256}, {"max_output_tokens": 256}),
    ({"max_output_tokens": 300}, {"max_output_tokens": 300}),
    ({"reasoning_effort": "low"}, {"reasoning": {"effort": "low"}}),
    (
        {"reasoning": {"summary": "auto"}, "reasoning_effort": "high"},
        {"reasoning": {"summary": "auto", "effort": "high"}},
    ),
    ({"verbosity": "low"}, {"text": {"verbosity": "low"}}),
    ({"request_metadata": {"team": "search"}}, {"metadata": {"team": "search"}}),
    (
        {"logprobs": True},
        {"include": ["message.output_text.logprobs"], "top_logprobs": 0},
    ),
    (
        {"logprobs": True, "top_logprobs": 5},
        {"include": ["message.output_text.logprobs"], "top_logprobs": 5},
    ),
    ({"store": False}, {"store": False, "include": ["reasoning.encrypted_content"]}),
    ({"store": True}, {"store": True}),
    (
        {"include": ["web_search_call.action.sources"], "store": False},
        {
            "include": ["web_search_call.action.sources", "reasoning.encrypted_content"],
            "store": False,
        },
    ),
    ({"truncation": "auto"}, {"truncation": "auto"}),
    ({"service_tier": "flex"}, {"service_tier": "flex"}),
    ({"prompt_cache_key": "k1"}, {"prompt_cache_key": "k1"}),
    ({"safety_identifier": "user-7"}, {"safety_identifier": "user-7"}),
    ({"parallel_tool_calls": False}, {"parallel_tool_calls": False}),
    ({"instructions": "Be terse."}, {"instructions": "Be terse."}),
    ({"model_kwargs": {"max_tool_calls": 3}}, {"max_tool_calls": 3}),
    ({"extra_body": {"vendor_flag": True}}, {"vendor_flag": True}),
]


@pytest.mark.parametrize(("fields", "expected"), FIELDS, ids=[str(f) for f, _ in FIELDS])
def test_field_reaches_the_body(server: ScriptedServer, fields: Json, expected: Json) -> None:
    if "extra_body" in fields:  # not in the spec: checked without validation
        model = _model(server, **fields)
        model.invoke([HumanMessage("hi")])
        model.client.close()
        body = server.requests[-1].json
    else:
        body = _sent(server, fields=fields)
    for key, value in expected.items():
        assert body[key] == value, key


def test_defaults_send_only_model_and_input(server: ScriptedServer) -> None:
    body = _sent(server)
    assert body == {"model": "gpt-4.1-mini", "input": [{"role": "user", "content": "hi"}]}


def test_client_settings_reach_the_request(server: ScriptedServer) -> None:
    model = ChatResponses(
        api_key="sk-secret-value",
        base_url=server.base_url,
        organization="org-1",
        project="proj-1",
        default_headers={"x-team": "a"},
        default_query={"tenant": "t1"},
    )
    model.invoke([HumanMessage("hi")])
    model.client.close()
    request = server.requests[-1]
    assert request.path == "/v1/responses"
    assert request.headers["authorization"] == "Bearer sk-secret-value"
    assert request.headers["openai-organization"] == "org-1"
    assert request.headers["openai-project"] == "proj-1"
    assert request.headers["x-team"] == "a"
    assert request.query == {"tenant": "t1"}


def test_api_key_header_for_azure_style_servers(server: ScriptedServer) -> None:
    model = ChatResponses(api_key="sk-azure", base_url=server.base_url, api_key_header="api-key")
    model.invoke([HumanMessage("hi")])
    model.client.close()
    headers = server.requests[-1].headers
    assert headers["api-key"] == "sk-azure"
    assert "authorization" not in headers


def test_call_kwargs_override_fields(server: ScriptedServer) -> None:
    fields = {
        "model": "gpt-4.1",
        "temperature": 0.9,
        "max_tokens": 100,
        "reasoning_effort": "low",
        "verbosity": "low",
        "store": False,
        "request_metadata": {"a": "1"},
        "instructions": "old",
    }
    body = _sent(
        server,
        fields=fields,
        model="gpt-5",
        temperature=0.1,
        max_tokens=50,
        reasoning_effort="high",
        verbosity="high",
        store=True,
        request_metadata={"b": "2"},
        instructions="new",
    )
    assert body["model"] == "gpt-5"
    assert body["temperature"] == 0.1
    assert body["max_output_tokens"] == 50
    assert body["reasoning"] == {"effort": "high"}
    assert body["text"] == {"verbosity": "high"}
    assert body["store"] is True
    assert "include" not in body  # encrypted reasoning is only needed with store=False
    assert body["metadata"] == {"b": "2"}
    assert body["instructions"] == "new"


def test_bind_overrides_fields(server: ScriptedServer) -> None:
    model = _model(server, temperature=0.9)
    model.bind(temperature=0.2, max_output_tokens=64).invoke("hi")
    model.client.close()
    body = server.requests[-1].json
    assert (body["temperature"], body["max_output_tokens"]) == (0.2, 64)
    assert body["input"] == [{"role": "user", "content": "hi"}]


def test_per_call_options_are_not_body_fields(server: ScriptedServer) -> None:
    body = _sent(server, extra_headers={"x-trace": "1"}, timeout=30)
    assert "extra_headers" not in body
    assert "timeout" not in body
    assert server.requests[-1].headers["x-trace"] == "1"


CHAT_ONLY = {
    "seed": "no seed",
    "n": "batch",
    "logit_bias": "instructions",
    "presence_penalty": "instructions",
    "frequency_penalty": "instructions",
}


@pytest.mark.parametrize(("name", "alternative"), CHAT_ONLY.items())
def test_chat_completions_params_refused_at_construction(name: str, alternative: str) -> None:
    with pytest.raises(ValueError, match=f"{name} is a Chat Completions parameter.*{alternative}"):
        ChatResponses(api_key="sk-test", **{name: 1})
    with pytest.raises(ValueError, match=f"{name} is a Chat Completions parameter"):
        ChatResponses(api_key="sk-test", model_kwargs={name: 1})


@pytest.mark.parametrize(("name", "alternative"), CHAT_ONLY.items())
def test_chat_completions_params_refused_per_call(
    server: ScriptedServer, name: str, alternative: str
) -> None:
    model = _model(server)
    with pytest.raises(
        errors.InvalidRequestError, match=f"{name} is a Chat Completions parameter.*{alternative}"
    ):
        model.invoke([HumanMessage("hi")], **{name: 1})
    with pytest.raises(errors.InvalidRequestError, match=name):
        model.bind(**{name: 1}).invoke([HumanMessage("hi")])
    model.client.close()
    assert server.requests == []  # refused before anything was sent


@pytest.mark.parametrize(
    ("fields", "match"),
    [
        ({"temperature": 3.0}, "temperature must be between"),
        ({"max_tokens": 5}, "max_output_tokens must be >= 16"),
        ({"request_metadata": {"k": "v" * 600}}, "metadata"),
    ],
)
def test_out_of_range_values_are_refused_before_sending(
    server: ScriptedServer, fields: Json, match: str
) -> None:
    model = _model(server, **fields)
    with pytest.raises(errors.InvalidRequestError, match=match):
        model.invoke([HumanMessage("hi")])
    assert server.requests == []


# -- previous_response_id -------------------------------------------------------------------


def _ai(response_id: str, text: str = "Hi!") -> AIMessage:
    return AIMessage(content=text, id=response_id, response_metadata={"id": response_id})


def test_previous_response_id_sends_only_the_new_messages(server: ScriptedServer) -> None:
    ai = AIMessage(
        content="",
        tool_calls=[{"name": "f", "args": {}, "id": "call_1"}],
        id="resp_2",
        response_metadata={"id": "resp_2"},
    )
    history = [
        SystemMessage("sys"),
        HumanMessage("first"),
        _ai("resp_1"),
        HumanMessage("second"),
        ai,
        ToolMessage("result", tool_call_id="call_1"),
        HumanMessage("third"),
    ]
    body = _sent(server, history, fields={"use_previous_response_id": True})
    assert body["previous_response_id"] == "resp_2"
    assert body["input"] == [
        {"type": "function_call_output", "call_id": "call_1", "output": "result"},
        {"role": "user", "content": "third"},
    ]
    assert "use_previous_response_id" not in body


def test_previous_response_id_as_a_call_kwarg(server: ScriptedServer) -> None:
    history = [HumanMessage("first"), _ai("resp_1"), HumanMessage("second")]
    body = _sent(server, history, use_previous_response_id=True)
    assert body["previous_response_id"] == "resp_1"
    assert body["input"] == [{"role": "user", "content": "second"}]


@pytest.mark.parametrize(
    ("history", "fields"),
    [
        ([HumanMessage("only")], {}),
        ([HumanMessage("a"), AIMessage("hand-made"), HumanMessage("b")], {}),
        ([HumanMessage("a"), _ai("resp_1"), HumanMessage("b")], {"store": False}),
    ],
    ids=["no-ai-message", "ai-message-without-response-id", "store-false"],
)
def test_previous_response_id_falls_back_to_the_full_history(
    server: ScriptedServer, history: list[BaseMessage], fields: Json
) -> None:
    body = _sent(server, history, fields={"use_previous_response_id": True, **fields})
    assert "previous_response_id" not in body
    assert len(body["input"]) == len(history)


def test_explicit_previous_response_id_is_kept(server: ScriptedServer) -> None:
    body = _sent(server, [ToolMessage("r", tool_call_id="call_9")], previous_response_id="resp_0")
    assert body["previous_response_id"] == "resp_0"
    assert body["input"] == [{"type": "function_call_output", "call_id": "call_9", "output": "r"}]


# -- background ----------------------------------------------------------------------------------

QUEUED: Json = {**DONE, "status": "queued", "output": [], "usage": None, "background": True}
RUNNING: Json = {**QUEUED, "status": "in_progress"}
FINISHED: Json = {**DONE, "background": True}


def _paths(server: ScriptedServer) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in server.requests]


def test_background_polls_until_done(server: ScriptedServer) -> None:
    server.enqueue(Reply(json=QUEUED), Reply(json=RUNNING), Reply(json=FINISHED))
    model = _model(server, background=True, background_poll_interval=0.01)
    message = model.invoke([HumanMessage("hi")])
    model.client.close()
    assert message.text == "Hi!"
    assert server.requests[0].json["background"] is True
    rid = DONE["id"]
    assert _paths(server) == [
        ("POST", "/v1/responses"),
        ("GET", f"/v1/responses/{rid}"),
        ("GET", f"/v1/responses/{rid}"),
    ]


async def test_background_polls_until_done_async(server: ScriptedServer) -> None:
    server.enqueue(Reply(json=QUEUED), Reply(json=FINISHED))
    model = _model(server, background=True, background_poll_interval=0.01)
    message = await model.ainvoke([HumanMessage("hi")])
    await model.async_client.aclose()
    assert message.text == "Hi!"
    assert [m for m, _ in _paths(server)] == ["POST", "GET"]


def test_background_failure_raises(server: ScriptedServer) -> None:
    failed = {**QUEUED, "status": "failed", "error": {"code": "server_error", "message": "Boom"}}
    server.enqueue(Reply(json=QUEUED), Reply(json=failed))
    model = _model(server, background=True, background_poll_interval=0.01)
    with pytest.raises(errors.ResponseFailedError, match="Boom"):
        model.invoke([HumanMessage("hi")])
    model.client.close()


def test_background_is_cancelled_when_polling_breaks(server: ScriptedServer) -> None:
    cancelled = {**QUEUED, "status": "cancelled"}
    server.enqueue(
        Reply(json=QUEUED),
        Reply.error(500, "poll broke", error_type="server_error"),
        Reply(json=cancelled),
    )
    model = _model(server, background=True, background_poll_interval=0.01)
    with pytest.raises(errors.InternalServerError):
        model.invoke([HumanMessage("hi")])
    model.client.close()
    rid = DONE["id"]
    assert _paths(server)[-1] == ("POST", f"/v1/responses/{rid}/cancel")


async def test_background_is_cancelled_when_the_task_is_cancelled(
    server: ScriptedServer,
) -> None:
    cancelled = {**QUEUED, "status": "cancelled"}

    def answer(request: RecordedRequest) -> Reply:
        return Reply(json=cancelled if request.path.endswith("/cancel") else RUNNING)

    server.default = answer
    server.enqueue(Reply(json=QUEUED))
    model = _model(server, background=True, background_poll_interval=0.02)
    task = asyncio.create_task(model.ainvoke([HumanMessage("hi")]))
    await server.await_until(lambda: len(server.requests) >= 3)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await server.await_until(lambda: _paths(server)[-1][1].endswith("/cancel"))
    await model.async_client.aclose()
    assert _paths(server)[-1] == ("POST", f"/v1/responses/{DONE['id']}/cancel")


# -- token counting --------------------------------------------------------------------------


def test_token_count_uses_the_input_tokens_endpoint(server: ScriptedServer) -> None:
    server.enqueue(Reply(json={"object": "response.input_tokens", "input_tokens": 51}))
    model = _model(server, model="gpt-4.1-mini", temperature=0.5, instructions="Be terse.")

    def get_weather(location: str) -> str:
        """Get the weather for a location."""
        return location

    count = model.get_num_tokens_from_messages(
        [HumanMessage("What is the weather in Paris?")], tools=[get_weather]
    )
    model.client.close()
    assert count == 51
    request = server.requests[-1]
    assert (request.method, request.path) == ("POST", "/v1/responses/input_tokens")
    validate_request("/v1/responses/input_tokens", "POST", request.json)
    assert request.json["tools"][0]["name"] == "get_weather"
    assert request.json["input"] == [{"role": "user", "content": "What is the weather in Paris?"}]
    assert request.json["instructions"] == "Be terse."
    assert "temperature" not in request.json  # not a field of that endpoint


def test_token_count_without_the_endpoint_says_so(server: ScriptedServer) -> None:
    server.enqueue(Reply.error(404, "Not found", error_type="not_found"))
    model = _model(server)
    with pytest.raises(errors.NotFoundError, match="no POST /responses/input_tokens endpoint"):
        model.get_num_tokens_from_messages([HumanMessage("hi")])
    model.client.close()


# -- serialization ----------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:The function `load` is in beta")
def test_dumpd_masks_the_key_and_load_round_trips() -> None:
    model = ChatResponses(
        model="gpt-5",
        api_key="sk-very-secret",
        temperature=0.2,
        reasoning_effort="low",
        store=False,
        request_metadata={"team": "a"},
    )
    dumped = dumpd(model)
    text = dumps(model)
    assert "sk-very-secret" not in text
    assert "sk-very-secret" not in json.dumps(dumped)
    assert dumped["kwargs"]["api_key"] == {"lc": 1, "type": "secret", "id": ["OPENAI_API_KEY"]}
    loaded = load(
        dumped,
        secrets_map={"OPENAI_API_KEY": "sk-restored"},
        valid_namespaces=["langchain_responses"],
        allowed_objects=[ChatResponses],
    )
    assert isinstance(loaded, ChatResponses)
    assert loaded.api_key == SecretStr("sk-restored")
    assert (loaded.model_name, loaded.temperature, loaded.reasoning_effort) == ("gpt-5", 0.2, "low")
    assert loaded.store is False
    assert loaded.request_metadata == {"team": "a"}


def test_repr_hides_the_key() -> None:
    model = ChatResponses(api_key="sk-very-secret")
    assert "sk-very-secret" not in repr(model)
    assert "sk-very-secret" not in str(model)
