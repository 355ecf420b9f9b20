"""``with_structured_output``: json_schema (default, strict), function_calling, json_mode."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from langchain_core.exceptions import ModelRefusalError, OutputParserException
from langchain_core.messages import AIMessage
from pydantic import BaseModel, Field
from typing_extensions import TypedDict

from langchain_responses import errors
from langchain_responses.chat_model import ChatResponses
from tests.stream import synthetic as syn
from tests.support.server import Reply, ScriptedServer
from tests.support.spec import validate_request

Json = dict[str, Any]


class Weather(BaseModel):
    """A weather report."""

    city: str = Field(description="The city")
    temperature: float
    note: str | None = None


class WeatherDict(TypedDict):
    """A weather report."""

    city: str
    temperature: float


WEATHER_SCHEMA: Json = {
    "title": "weather_schema",
    "description": "A weather report.",
    "type": "object",
    "properties": {"city": {"type": "string"}, "temperature": {"type": "number"}},
    "required": ["city", "temperature"],
}
ANSWER = {"city": "Paris", "temperature": 21.5, "note": None}
SCHEMAS = [Weather, WeatherDict, WEATHER_SCHEMA]
SCHEMA_IDS = ["pydantic", "typeddict", "json-schema"]


def _text_reply(text: str) -> Reply:
    return Reply(json=syn.terminal("completed", [syn.message_item(text)])["response"])


def _call_reply(name: str, arguments: str) -> Reply:
    call = {
        "type": "function_call",
        "id": "fc_1",
        "call_id": "call_1",
        "name": name,
        "arguments": arguments,
        "status": "completed",
    }
    return Reply(json=syn.terminal("completed", [call])["response"])


def _expected(schema: Any) -> Any:
    if schema is Weather:
        return Weather(**ANSWER)
    return {"city": "Paris", "temperature": 21.5}


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as scripted:
        yield scripted
    scripted.check()


@pytest.fixture
def model(server: ScriptedServer) -> Iterator[ChatResponses]:
    chat = ChatResponses(model="gpt-5", api_key="sk-test", base_url=server.base_url)
    yield chat
    chat.client.close()


def _body(server: ScriptedServer) -> Json:
    body: Json = server.requests[-1].json
    validate_request("/v1/responses", "POST", body)
    return body


# -- json_schema ---------------------------------------------------------------------------------


@pytest.mark.parametrize("schema", SCHEMAS, ids=SCHEMA_IDS)
def test_json_schema_is_strict_by_default(
    server: ScriptedServer, model: ChatResponses, schema: Any
) -> None:
    server.enqueue(_text_reply(json.dumps(ANSWER if schema is Weather else ANSWER | {})))
    result = model.with_structured_output(schema).invoke("Weather in Paris?")
    if schema is Weather:
        assert result == Weather(**ANSWER)
    else:
        assert result == ANSWER
    fmt = _body(server)["text"]["format"]
    assert fmt["type"] == "json_schema"
    assert fmt["strict"] is True
    assert fmt["name"] in {"Weather", "WeatherDict", "weather_schema"}
    assert fmt["schema"]["additionalProperties"] is False
    assert fmt["schema"]["required"] == list(fmt["schema"]["properties"])
    assert "tools" not in _body(server)


def test_json_schema_not_strict(server: ScriptedServer, model: ChatResponses) -> None:
    server.enqueue(_text_reply(json.dumps(ANSWER)))
    model.with_structured_output(WEATHER_SCHEMA, strict=False).invoke("hi")
    fmt = _body(server)["text"]["format"]
    assert fmt["strict"] is False
    assert fmt["schema"] == WEATHER_SCHEMA


def test_json_schema_keeps_the_description(server: ScriptedServer, model: ChatResponses) -> None:
    server.enqueue(_text_reply(json.dumps(ANSWER)))
    model.with_structured_output(Weather).invoke("hi")
    assert _body(server)["text"]["format"]["description"] == "A weather report."


def test_refusal_raises_model_refusal_error(server: ScriptedServer, model: ChatResponses) -> None:
    refused = {
        "type": "message",
        "id": "msg_r",
        "role": "assistant",
        "status": "completed",
        "content": [{"type": "refusal", "refusal": "I can't help with that."}],
    }
    response = syn.terminal("completed", [refused])["response"]
    for schema in SCHEMAS:
        server.enqueue(Reply(json=response))
        with pytest.raises(ModelRefusalError, match="I can't help with that") as caught:
            model.with_structured_output(schema).invoke("hi")
        assert isinstance(caught.value.raw_message, AIMessage)


def test_streamed_refusal_raises_model_refusal_error(
    server: ScriptedServer, model: ChatResponses
) -> None:
    refused = {
        "type": "message",
        "id": "msg_r",
        "role": "assistant",
        "status": "completed",
        "content": [{"type": "refusal", "refusal": "No."}],
    }
    where = {"output_index": 0, "item_id": "msg_r", "content_index": 0}
    events = [
        syn.created(),
        {
            "type": "response.output_item.added",
            "output_index": 0,
            "item": {**refused, "status": "in_progress", "content": []},
        },
        {
            "type": "response.content_part.added",
            **where,
            "part": {"type": "refusal", "refusal": ""},
        },
        {"type": "response.refusal.delta", **where, "delta": "No."},
        {"type": "response.output_item.done", "output_index": 0, "item": refused},
        syn.terminal("completed", [refused]),
    ]
    server.enqueue(Reply(headers={"content-type": "text/event-stream"}, chunks=syn.body(events)))
    with pytest.raises(ModelRefusalError):
        list(model.with_structured_output(Weather).stream("hi"))


# -- function_calling --------------------------------------------------------------------------


@pytest.mark.parametrize("schema", SCHEMAS, ids=SCHEMA_IDS)
def test_function_calling(server: ScriptedServer, model: ChatResponses, schema: Any) -> None:
    name = getattr(schema, "__name__", "weather_schema")
    server.enqueue(_call_reply(name, json.dumps(ANSWER)))
    result = model.with_structured_output(schema, method="function_calling").invoke("hi")
    assert result == (Weather(**ANSWER) if schema is Weather else ANSWER)
    body = _body(server)
    assert [t["name"] for t in body["tools"]] == [name]
    assert body["tool_choice"] == {"type": "function", "name": name}
    assert body["parallel_tool_calls"] is False
    assert "text" not in body


def test_function_calling_strict(server: ScriptedServer, model: ChatResponses) -> None:
    server.enqueue(_call_reply("Weather", json.dumps(ANSWER)))
    model.with_structured_output(Weather, method="function_calling", strict=True).invoke("hi")
    [sent] = _body(server)["tools"]
    assert sent["strict"] is True
    assert sent["parameters"]["additionalProperties"] is False


# -- json_mode -----------------------------------------------------------------------------------


@pytest.mark.parametrize("schema", [*SCHEMAS, None], ids=[*SCHEMA_IDS, "no-schema"])
def test_json_mode(server: ScriptedServer, model: ChatResponses, schema: Any) -> None:
    server.enqueue(_text_reply(json.dumps(ANSWER)))
    result = model.with_structured_output(schema, method="json_mode").invoke("Reply in JSON.")
    assert result == (Weather(**ANSWER) if schema is Weather else ANSWER)
    assert _body(server)["text"]["format"] == {"type": "json_object"}


def test_unknown_method_and_missing_schema_are_refused(model: ChatResponses) -> None:
    with pytest.raises(errors.InvalidRequestError, match="Unknown method"):
        model.with_structured_output(Weather, method="xml")  # type: ignore[arg-type]
    with pytest.raises(errors.InvalidRequestError, match="needs a schema"):
        model.with_structured_output(None)


# -- include_raw ---------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["json_schema", "function_calling", "json_mode"])
def test_include_raw(server: ScriptedServer, model: ChatResponses, method: str) -> None:
    reply = (
        _call_reply("Weather", json.dumps(ANSWER))
        if method == "function_calling"
        else _text_reply(json.dumps(ANSWER))
    )
    server.enqueue(reply)
    structured = model.with_structured_output(Weather, method=method, include_raw=True)  # type: ignore[arg-type]
    result = structured.invoke("hi")
    assert isinstance(result, dict)
    assert isinstance(result["raw"], AIMessage)
    assert result["raw"].response_metadata["model_provider"] == "openai-responses"
    assert result["parsed"] == Weather(**ANSWER)
    assert result["parsing_error"] is None


def test_include_raw_keeps_a_parsing_error(server: ScriptedServer, model: ChatResponses) -> None:
    server.enqueue(_text_reply("not json"))
    result = model.with_structured_output(Weather, include_raw=True).invoke("hi")
    assert isinstance(result, dict)
    assert result["parsed"] is None
    assert isinstance(result["parsing_error"], OutputParserException)
    assert result["raw"].text == "not json"


def test_parsing_error_without_include_raw_raises(
    server: ScriptedServer, model: ChatResponses
) -> None:
    server.enqueue(_text_reply("not json"))
    with pytest.raises(OutputParserException):
        model.with_structured_output(Weather).invoke("hi")


# -- streaming -----------------------------------------------------------------------------------

PIECES = ['{"city": "Pa', 'ris", "tempera', 'ture": 21.5', ', "note": null}']


def test_streaming_yields_partial_objects(server: ScriptedServer, model: ChatResponses) -> None:
    # Paced like a live model: events that arrive together would be merged into one chunk.
    server.enqueue(
        Reply(
            headers={"content-type": "text/event-stream"},
            chunks=syn.text_stream(PIECES),
            delays=0.02,
        )
    )
    parts = list(model.with_structured_output(WEATHER_SCHEMA).stream("hi"))
    assert parts[0] == {"city": "Pa"}
    assert {"city": "Paris", "temperature": 21.5} in parts
    assert parts[-1] == {"city": "Paris", "temperature": 21.5, "note": None}
    assert len(parts) >= 3


def test_streaming_pydantic_yields_models(server: ScriptedServer, model: ChatResponses) -> None:
    server.enqueue(
        Reply(headers={"content-type": "text/event-stream"}, chunks=syn.text_stream(PIECES))
    )
    parts = list(model.with_structured_output(Weather).stream("hi"))
    assert parts
    assert all(isinstance(part, Weather) for part in parts)
    assert parts[-1] == Weather(**ANSWER)


def test_streaming_function_calling_yields_partial_arguments(
    server: ScriptedServer, model: ChatResponses
) -> None:
    item = {
        "type": "function_call",
        "id": "fc_1",
        "call_id": "call_1",
        "name": "weather_schema",
        "arguments": "",
        "status": "in_progress",
    }
    done = {**item, "arguments": "".join(PIECES[:3]) + "}", "status": "completed"}
    events = [
        syn.created(),
        {"type": "response.output_item.added", "output_index": 0, "item": item},
        *[
            {
                "type": "response.function_call_arguments.delta",
                "output_index": 0,
                "item_id": "fc_1",
                "delta": delta,
            }
            for delta in [*PIECES[:3], "}"]
        ],
        {"type": "response.output_item.done", "output_index": 0, "item": done},
        syn.terminal("completed", [done]),
    ]
    server.enqueue(Reply(headers={"content-type": "text/event-stream"}, chunks=syn.body(events)))
    structured = model.with_structured_output(WEATHER_SCHEMA, method="function_calling")
    parts = list(structured.stream("hi"))
    assert parts[-1] == {"city": "Paris", "temperature": 21.5}
    assert len(parts) >= 2
    assert parts[0] != parts[-1]
