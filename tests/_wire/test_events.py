from __future__ import annotations

import json
from pathlib import Path

import pytest

from langchain_responses._wire import (
    EVENT_TYPES,
    ErrorEvent,
    FunctionCallArgumentsDoneEvent,
    OrderedWireModel,
    OutputItemDoneEvent,
    OutputTextDeltaEvent,
    ReasoningItem,
    Response,
    ResponseCompletedEvent,
    ResponseFailedEvent,
    ResponseIncompleteEvent,
    ShellCallOutputContentDeltaEvent,
    UnknownEvent,
    events,
    parse_event,
)

from .conftest import exchanges


def test_recorded_stream_events_parse(recording: Path) -> None:
    for exchange in exchanges(recording):
        for payload in exchange.sse_payloads():
            raw = json.loads(payload)
            event = parse_event(payload)
            assert isinstance(event, UnknownEvent) == (raw["type"] not in EVENT_TYPES), payload
            assert event.to_dict() == raw, exchange.name
            if isinstance(event, OutputItemDoneEvent) and isinstance(event.item, ReasoningItem):
                assert json.dumps(event.item.to_dict()) == json.dumps(raw["item"])


def test_parse_event_accepts_bytes() -> None:
    event = parse_event(
        b'{"type":"response.output_text.delta","output_index":0,"content_index":0,"delta":"x"}'
    )
    assert isinstance(event, OutputTextDeltaEvent)
    assert event.delta == "x"
    assert event.sequence_number is None
    assert event.logprobs == []


def test_obfuscation_padding_is_kept_as_an_extra() -> None:
    payload = json.dumps(
        {
            "type": "response.output_text.delta",
            "sequence_number": 3,
            "item_id": "m",
            "output_index": 0,
            "content_index": 0,
            "delta": "x",
            "logprobs": [],
            "obfuscation": "abc",
        }
    )
    assert parse_event(payload).to_dict() == json.loads(payload)


def test_function_call_arguments_done_without_name() -> None:
    event = parse_event(
        '{"type":"response.function_call_arguments.done","item_id":"fc","output_index":0,"arguments":"{}"}'
    )
    assert isinstance(event, FunctionCallArgumentsDoneEvent)
    assert event.name is None


@pytest.mark.parametrize(
    ("type_", "cls"),
    [
        ("response.completed", ResponseCompletedEvent),
        ("response.incomplete", ResponseIncompleteEvent),
        ("response.failed", ResponseFailedEvent),
    ],
)
def test_terminal_events_carry_the_response(type_: str, cls: type) -> None:
    payload = {
        "type": type_,
        "sequence_number": 9,
        "response": {
            "id": "resp_1",
            "object": "response",
            "status": "failed",
            "output": [],
            "error": {"code": "server_error", "message": "boom"},
        },
    }
    event = parse_event(json.dumps(payload))
    assert isinstance(event, cls)
    assert isinstance(event.response, Response)
    assert event.response.id == "resp_1"


def test_error_event_flat_shape() -> None:
    flat = {"code": "rate_limit_exceeded", "message": "slow down", "param": None}
    event = parse_event(json.dumps({"type": "error", "sequence_number": 2, **flat}))
    assert isinstance(event, ErrorEvent)
    assert (event.error_code, event.error_message, event.error_param) == (
        "rate_limit_exceeded",
        "slow down",
        None,
    )
    assert event.error_type is None


def test_error_event_nested_shape() -> None:
    nested = {
        "type": "invalid_request_error",
        "code": "bad_param",
        "message": "no",
        "param": "input",
    }
    payload = json.dumps({"type": "error", "sequence_number": 2, "error": nested})
    event = parse_event(payload)
    assert isinstance(event, ErrorEvent)
    assert (event.error_code, event.error_message, event.error_param) == (
        "bad_param",
        "no",
        "input",
    )
    assert event.error_type == "invalid_request_error"
    assert event.to_dict() == json.loads(payload)


def test_error_event_with_only_a_message() -> None:
    event = parse_event('{"type":"error","message":"internal"}')
    assert isinstance(event, ErrorEvent)
    assert (event.error_code, event.error_message, event.error_param) == (None, "internal", None)


def test_shell_output_delta_is_an_object() -> None:
    event = parse_event(
        '{"type":"response.shell_call_output_content.delta","sequence_number":1,"item_id":"sh","output_index":0,"command_index":0,"delta":{"stdout":"hi\\n"}}'
    )
    assert isinstance(event, ShellCallOutputContentDeltaEvent)
    assert event.delta.stdout == "hi\n"
    assert event.delta.stderr is None


def test_every_reference_event_type_has_a_model() -> None:
    union = events.ResponseStreamEvent.__origin__  # type: ignore[attr-defined]
    tags = {member.__metadata__[0].tag for member in union.__args__}
    assert tags - {"__unknown__"} == set(EVENT_TYPES)
    assert len(EVENT_TYPES) == 58


def test_events_are_not_ordered_models() -> None:
    event_classes = [
        value
        for name, value in vars(events).items()
        if isinstance(value, type) and name.endswith("Event") and not name.startswith("_")
    ]
    assert len(event_classes) == 59
    assert not any(issubclass(cls, OrderedWireModel) for cls in event_classes)
