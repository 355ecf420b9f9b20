from __future__ import annotations

from pathlib import Path

import pytest

from langchain_responses._wire import (
    CompactParams,
    CreateResponseParams,
    FunctionTool,
    InputTextPart,
    InputTokensParams,
    ItemReferenceItem,
    MessageItem,
    ReasoningConfig,
    TextConfig,
    TextFormatJsonSchema,
    ToolChoiceBuiltin,
    ToolChoiceFunction,
    UnknownItem,
    UnknownToolChoice,
    WebSearchTool,
    WireModel,
)

from .conftest import exchanges, recording_paths, shared_dir

PARAMS_BY_ENDPOINT: dict[str, type[WireModel]] = {
    "create": CreateResponseParams,
    "compact": CompactParams,
    "input_tokens": InputTokensParams,
}


def test_recordings_are_present() -> None:
    assert len(recording_paths()) > 100, f"no recordings under {shared_dir()}"


def test_recorded_request_bodies_round_trip(recording: Path) -> None:
    for exchange in exchanges(recording):
        if exchange.request_body is None:
            continue
        model = PARAMS_BY_ENDPOINT[exchange.endpoint].model_validate(exchange.request_body)
        assert model.to_dict() == exchange.request_body, exchange.name


def test_unknown_top_level_keys_are_kept() -> None:
    body = {"model": "m", "input": "hi", "provider": {"only": ["openai"]}}
    assert CreateResponseParams.model_validate(body).to_dict() == body


def test_built_params_dump_type_tags_and_the_schema_alias() -> None:
    params = CreateResponseParams(
        model="gpt-5.4",
        input=[
            MessageItem(role="user", content=[InputTextPart(text="hi")]),
            ItemReferenceItem(id="msg_1"),
        ],
        tools=[FunctionTool(name="f", parameters={"type": "object"}, strict=True)],
        text=TextConfig(format=TextFormatJsonSchema(name="out", json_schema={"type": "object"})),
        reasoning=ReasoningConfig(effort="low"),
    )
    assert params.to_dict() == {
        "model": "gpt-5.4",
        "input": [
            {
                "type": "message",
                "role": "user",
                "content": [{"type": "input_text", "text": "hi"}],
            },
            {"type": "item_reference", "id": "msg_1"},
        ],
        "tools": [
            {"type": "function", "name": "f", "parameters": {"type": "object"}, "strict": True}
        ],
        "text": {"format": {"type": "json_schema", "name": "out", "schema": {"type": "object"}}},
        "reasoning": {"effort": "low"},
    }


def test_json_schema_format_parses_the_schema_key() -> None:
    fmt = TextConfig.model_validate(
        {"format": {"type": "json_schema", "name": "x", "schema": {"type": "object"}}}
    ).format
    assert isinstance(fmt, TextFormatJsonSchema)
    assert fmt.json_schema == {"type": "object"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"role": "user", "content": "hi"}, MessageItem),
        ({"type": "message", "role": "user", "content": "hi"}, MessageItem),
        ({"id": "msg_1"}, ItemReferenceItem),
        ({"type": None, "id": "msg_1"}, ItemReferenceItem),
        ({"id": "msg_1", "something": 1}, UnknownItem),
        ({"type": "brand_new_item", "x": 1}, UnknownItem),
    ],
)
def test_input_items_without_type(raw: dict[str, object], expected: type[WireModel]) -> None:
    params = CreateResponseParams.model_validate({"input": [raw]})
    assert isinstance(params.input, list)
    assert type(params.input[0]) is expected
    assert params.to_dict() == {"input": [raw]}


def test_string_input_stays_a_string() -> None:
    assert CreateResponseParams.model_validate({"input": "hi"}).input == "hi"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("auto", str),
        ("some_new_mode", str),
        ({"type": "function", "name": "f"}, ToolChoiceFunction),
        ({"type": "web_search_preview"}, ToolChoiceBuiltin),
        ({"type": "shell"}, ToolChoiceBuiltin),
        ({"type": "new_choice", "x": 1}, UnknownToolChoice),
    ],
)
def test_tool_choice_forms(raw: object, expected: type) -> None:
    params = CreateResponseParams.model_validate({"tool_choice": raw})
    assert isinstance(params.tool_choice, expected)
    assert params.to_dict() == {"tool_choice": raw}


@pytest.mark.parametrize(
    "type_",
    ["web_search", "web_search_2025_08_26", "web_search_preview", "web_search_preview_2025_03_11"],
)
def test_every_web_search_type_is_a_web_search_tool(type_: str) -> None:
    params = CreateResponseParams.model_validate({"tools": [{"type": type_}]})
    assert params.tools is not None
    assert isinstance(params.tools[0], WebSearchTool)
    assert params.tools[0].type == type_
