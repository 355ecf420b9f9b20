"""Unknown types parse into the Unknown models and dump back unchanged; unions stay consistent."""

from __future__ import annotations

import json
import typing
from typing import Any

import pytest
from pydantic import BaseModel, TypeAdapter

import langchain_responses._wire as wire
from langchain_responses._wire import (
    UNKNOWN_TAG,
    Annotation,
    ComputerAction,
    ComputerCallItem,
    CreateResponseParams,
    InputContent,
    InputItem,
    MessageContent,
    MessageItem,
    OrderedWireModel,
    OutputContent,
    OutputItem,
    OutputTextPart,
    ReasoningContent,
    Response,
    ResponseStreamEvent,
    SummaryContent,
    TextConfig,
    TextFormat,
    Tool,
    ToolChoiceObject,
    UnknownAnnotation,
    UnknownComputerAction,
    UnknownContent,
    UnknownEvent,
    UnknownItem,
    UnknownTextFormat,
    UnknownTool,
    UnknownToolChoice,
    items,
    parse_event,
)
from langchain_responses._wire.tools import NamespaceMember

NEW_ITEM = {"type": "hologram_call", "id": "hg_1", "z": [3, {"b": 1, "a": 2}], "call_id": "c"}


def test_unknown_output_item_round_trips_byte_for_byte() -> None:
    response = Response.model_validate({"id": "resp_1", "output": [NEW_ITEM]})
    item = response.output[0]
    assert isinstance(item, UnknownItem)
    assert item.type == "hologram_call"
    assert json.dumps(item.to_dict()) == json.dumps(NEW_ITEM)
    assert response.tool_calls == []


def test_unknown_input_item_round_trips() -> None:
    params = CreateResponseParams.model_validate({"input": [NEW_ITEM]})
    assert isinstance(params.input, list)
    assert isinstance(params.input[0], UnknownItem)
    assert params.to_dict() == {"input": [NEW_ITEM]}


def test_unknown_event_keeps_its_fields() -> None:
    payload = (
        '{"type":"response.hologram.delta","sequence_number":4,"output_index":1,"delta":{"x":1}}'
    )
    event = parse_event(payload)
    assert isinstance(event, UnknownEvent)
    assert event.type == "response.hologram.delta"
    assert event.sequence_number == 4
    assert event.model_extra == {"output_index": 1, "delta": {"x": 1}}
    assert event.to_dict() == json.loads(payload)


def test_unknown_tool_round_trips() -> None:
    tool = {"type": "teleporter", "range_km": 5}
    params = CreateResponseParams.model_validate({"tools": [tool]})
    assert params.tools is not None
    assert isinstance(params.tools[0], UnknownTool)
    assert params.to_dict() == {"tools": [tool]}


def test_unknown_content_and_annotation_round_trip() -> None:
    part = {"type": "output_text", "text": "x", "annotations": [{"type": "map_pin", "lat": 1.5}]}
    message = {
        "type": "message",
        "role": "assistant",
        "content": [{"type": "input_audio", "data": "AA"}, part],
    }
    item = TypeAdapter(OutputItem).validate_python(message)
    assert isinstance(item, MessageItem)
    assert not isinstance(item.content, str)
    assert isinstance(item.content[0], UnknownContent)
    assert isinstance(item.content[1], OutputTextPart)
    assert isinstance(item.content[1].annotations[0], UnknownAnnotation)
    assert json.dumps(item.to_dict()) == json.dumps(message)


def test_unknown_computer_action_round_trips() -> None:
    call = {
        "type": "computer_call",
        "id": "cu",
        "call_id": "c",
        "actions": [{"type": "pinch", "scale": 2}],
        "pending_safety_checks": [],
        "status": "completed",
    }
    item = TypeAdapter(OutputItem).validate_python(call)
    assert isinstance(item, ComputerCallItem)
    assert item.actions is not None
    assert isinstance(item.actions[0], UnknownComputerAction)
    assert item.to_dict() == call


def test_unknown_text_format_and_tool_choice_round_trip() -> None:
    body = {
        "text": {"format": {"type": "yaml", "strictness": 3}},
        "tool_choice": {"type": "oracle"},
    }
    params = CreateResponseParams.model_validate(body)
    assert params.text is not None
    assert isinstance(params.text.format, UnknownTextFormat)
    assert isinstance(params.tool_choice, UnknownToolChoice)
    assert params.to_dict() == body
    assert TextConfig.model_validate(body["text"]).to_dict() == body["text"]


# --- union consistency ---------------------------------------------------------------------------

UNIONS: dict[str, Any] = {
    "Annotation": Annotation,
    "ComputerAction": ComputerAction,
    "InputContent": InputContent,
    "InputItem": InputItem,
    "MessageContent": MessageContent,
    "NamespaceMember": NamespaceMember,
    "OutputContent": OutputContent,
    "OutputItem": OutputItem,
    "ReasoningContent": ReasoningContent,
    "ResponseStreamEvent": ResponseStreamEvent,
    "SummaryContent": SummaryContent,
    "TextFormat": TextFormat,
    "Tool": Tool,
    "ToolChoiceObject": ToolChoiceObject,
}


def _members(union: Any) -> list[tuple[str, type[BaseModel]]]:
    inner, discriminator = typing.get_args(union)
    members = []
    for member in typing.get_args(inner):
        model, tag = typing.get_args(member)
        members.append((tag.tag, model))
    assert callable(discriminator.discriminator)
    return members


@pytest.mark.parametrize("name", sorted(UNIONS))
def test_union_tags_match_the_literal_type_of_each_member(name: str) -> None:
    members = _members(UNIONS[name])
    discriminate = typing.get_args(UNIONS[name])[1].discriminator
    assert members[-1][0] == UNKNOWN_TAG
    assert "Unknown" in members[-1][1].__name__
    for tag, model in members[:-1]:
        literal_values = typing.get_args(model.model_fields["type"].annotation)
        type_values = [value for value in literal_values if isinstance(value, str)]
        if not type_values:  # `Literal[...] | str` or `Literal[...] | None`
            type_values = [
                value
                for arg in literal_values
                for value in typing.get_args(arg)
                if isinstance(value, str)
            ]
        assert type_values, model
        for type_value in type_values:
            assert discriminate({"type": type_value}) == tag, (model, type_value)
    assert discriminate({"type": "no_such_type"}) == UNKNOWN_TAG


def test_items_keep_key_order_and_events_do_not() -> None:
    for tag, model in _members(InputItem):
        assert issubclass(model, OrderedWireModel), tag
    for tag, model in _members(ResponseStreamEvent):
        assert not issubclass(model, OrderedWireModel), tag


def test_input_items_cover_output_items() -> None:
    assert set(items.OUTPUT_ITEM_TYPES) < set(items.INPUT_ITEM_TYPES)
    assert len(items.OUTPUT_ITEM_TYPES) == 28


def test_exports_are_sorted_and_importable() -> None:
    assert wire.__all__ == sorted(wire.__all__)
    assert len(set(wire.__all__)) == len(wire.__all__)
    for name in wire.__all__:
        assert hasattr(wire, name), name
