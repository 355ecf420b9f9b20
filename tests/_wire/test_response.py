from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from langchain_responses._wire import (
    CompactedResponse,
    CompactionItem,
    Conversation,
    ConversationDeleted,
    FunctionCallItem,
    InputTokensCount,
    ItemList,
    ItemReferenceItem,
    McpCallError,
    McpCallItem,
    MessageItem,
    ReasoningItem,
    Response,
    ResponseDeleted,
    WireModel,
)

from .conftest import exchanges

RESULT_BY_ENDPOINT: dict[str, type[WireModel]] = {
    "create": Response,
    "retrieve": Response,
    "compact": CompactedResponse,
    "input_tokens": InputTokensCount,
}


def test_recorded_response_bodies_round_trip(recording: Path) -> None:
    for exchange in exchanges(recording):
        if exchange.body_json is None or not 200 <= exchange.status < 300:
            continue
        model = RESULT_BY_ENDPOINT[exchange.endpoint].model_validate(exchange.body_json)
        assert model.to_dict() == exchange.body_json, exchange.name


def test_recorded_output_items_round_trip_byte_for_byte(recording: Path) -> None:
    for exchange in exchanges(recording):
        body = exchange.body_json
        if body is None or not 200 <= exchange.status < 300 or "output" not in body:
            continue
        model = RESULT_BY_ENDPOINT[exchange.endpoint].model_validate(body)
        items = getattr(model, "output")  # noqa: B009 - Response and CompactedResponse
        for item, raw in zip(items, body["output"], strict=True):
            assert json.dumps(item.to_dict()) == json.dumps(raw), exchange.name
            if raw["type"] == "reasoning":
                assert isinstance(item, ReasoningItem)


def _response(output: list[dict[str, Any]], **extra: Any) -> Response:
    return Response.model_validate(
        {"id": "resp_1", "object": "response", "output": output, **extra}
    )


def _message(*texts: str, refusal: str | None = None) -> dict[str, Any]:
    content: list[dict[str, Any]] = [
        {"type": "output_text", "text": text, "annotations": []} for text in texts
    ]
    if refusal is not None:
        content.append({"type": "refusal", "refusal": refusal})
    return {
        "type": "message",
        "id": "msg",
        "role": "assistant",
        "status": "completed",
        "content": content,
    }


def test_output_text_joins_every_output_text_part_in_order() -> None:
    response = _response(
        [
            {"type": "reasoning", "id": "rs", "summary": [{"type": "summary_text", "text": "no"}]},
            _message("Hello", ", ", refusal="nope"),
            {"type": "function_call", "call_id": "c", "name": "f", "arguments": "{}"},
            _message("world"),
        ]
    )
    assert response.output_text == "Hello, world"


def test_output_text_is_empty_without_messages() -> None:
    assert _response([]).output_text == ""
    assert (
        _response(
            [{"type": "function_call", "call_id": "c", "name": "f", "arguments": "{}"}]
        ).output_text
        == ""
    )


def test_tool_calls_lists_every_call_item_in_output_order() -> None:
    calls = [
        {"type": "function_call", "call_id": "c1", "name": "f", "arguments": "{}"},
        {"type": "custom_tool_call", "call_id": "c2", "name": "g", "input": "x"},
        {"type": "computer_call", "id": "cu", "call_id": "c3", "action": {"type": "screenshot"}},
        {"type": "shell_call", "id": "sh", "call_id": "c4", "action": {"commands": ["ls"]}},
        {
            "type": "local_shell_call",
            "id": "ls",
            "call_id": "c5",
            "action": {"type": "exec", "command": ["ls"], "env": {}},
        },
        {
            "type": "apply_patch_call",
            "id": "ap",
            "call_id": "c6",
            "operation": {"type": "delete_file", "path": "a.txt"},
        },
        {"type": "mcp_call", "id": "m", "server_label": "s", "name": "t", "arguments": "{}"},
        {
            "type": "mcp_approval_request",
            "id": "ma",
            "server_label": "s",
            "name": "t",
            "arguments": "{}",
        },
        {
            "type": "code_interpreter_call",
            "id": "ci",
            "container_id": "c",
            "code": "1",
            "outputs": None,
        },
        {
            "type": "web_search_call",
            "id": "ws",
            "status": "completed",
            "action": {"type": "search"},
        },
        {"type": "file_search_call", "id": "fs", "queries": ["q"], "status": "completed"},
        {"type": "image_generation_call", "id": "ig", "status": "completed", "result": None},
        {"type": "tool_search_call", "id": "ts", "execution": "server", "arguments": {}},
    ]
    not_calls = [
        _message("hi"),
        {"type": "reasoning", "id": "rs", "summary": []},
        {"type": "function_call_output", "call_id": "c1", "output": "ok"},
        {"type": "mcp_list_tools", "id": "ml", "server_label": "s", "tools": []},
        {"type": "brand_new_call", "id": "x"},
    ]
    response = _response([not_calls[0], *calls[:5], *not_calls[1:], *calls[5:]])
    assert [item.to_dict() for item in response.tool_calls] == calls
    assert isinstance(response.tool_calls[0], FunctionCallItem)


def test_usage_details_default_to_zero() -> None:
    usage = _response([], usage={"input_tokens": 5, "output_tokens": 7, "total_tokens": 12}).usage
    assert usage is not None
    assert usage.input_tokens_details.cached_tokens == 0
    assert usage.input_tokens_details.cache_write_tokens == 0
    assert usage.output_tokens_details.reasoning_tokens == 0
    assert usage.to_dict() == {"input_tokens": 5, "output_tokens": 7, "total_tokens": 12}


def test_null_usage_details_count_as_zero() -> None:
    usage = _response(
        [],
        usage={
            "input_tokens": 5,
            "input_tokens_details": None,
            "output_tokens": 7,
            "output_tokens_details": None,
            "total_tokens": 12,
        },
    ).usage
    assert usage is not None
    assert usage.input_tokens_details.cached_tokens == 0
    assert usage.output_tokens_details.reasoning_tokens == 0


def test_failed_and_incomplete_responses() -> None:
    failed = _response([], status="failed", error={"code": "server_error", "message": "boom"})
    assert failed.error is not None
    assert (failed.error.code, failed.error.message) == ("server_error", "boom")
    incomplete = _response(
        [], status="incomplete", incomplete_details={"reason": "max_output_tokens"}
    )
    assert incomplete.incomplete_details is not None
    assert incomplete.incomplete_details.reason == "max_output_tokens"


def test_unknown_status_values_are_accepted() -> None:
    response = _response([_message("x") | {"status": "brand_new_status"}], status="paused")
    assert response.status == "paused"


def test_mcp_call_error_may_be_an_object_or_a_string() -> None:
    structured = {"type": "mcp_protocol_error", "code": -32600, "message": "bad"}
    item = _response(
        [
            {
                "type": "mcp_call",
                "id": "m",
                "server_label": "s",
                "name": "t",
                "arguments": "{}",
                "error": structured,
            }
        ]
    ).output[0]
    assert isinstance(item, McpCallItem)
    assert isinstance(item.error, McpCallError)
    assert item.error.code == -32600
    legacy = McpCallItem.model_validate(
        {
            "type": "mcp_call",
            "id": "m",
            "server_label": "s",
            "name": "t",
            "arguments": "{}",
            "error": "boom",
        }
    )
    assert legacy.error == "boom"


def test_output_text_logprobs_may_be_missing() -> None:
    message = _response([_message("x")]).output[0]
    assert isinstance(message, MessageItem)
    assert not isinstance(message.content, str)
    assert getattr(message.content[0], "logprobs") == []  # noqa: B009


def test_other_endpoint_bodies() -> None:
    conversation = {
        "id": "conv_1",
        "object": "conversation",
        "created_at": 1,
        "metadata": {"k": "v"},
    }
    assert Conversation.model_validate(conversation).to_dict() == conversation
    deleted = {"id": "conv_1", "object": "conversation.deleted", "deleted": True}
    assert ConversationDeleted.model_validate(deleted).deleted is True
    assert ResponseDeleted.model_validate(
        {"id": "resp_1", "object": "response", "deleted": True}
    ).deleted
    assert (
        InputTokensCount.model_validate(
            {"object": "response.input_tokens", "input_tokens": 11}
        ).input_tokens
        == 11
    )
    compacted = CompactedResponse.model_validate(
        {
            "id": "resp_1",
            "object": "response.compaction",
            "created_at": 1,
            "output": [{"type": "compaction", "id": "cmp", "encrypted_content": "gAAA"}],
            "usage": {"input_tokens": 1, "output_tokens": 2, "total_tokens": 3},
        }
    )
    assert isinstance(compacted.output[0], CompactionItem)


def test_item_list_envelope() -> None:
    page = {
        "object": "list",
        "data": [
            {
                "id": "msg_1",
                "type": "message",
                "role": "user",
                "status": "completed",
                "content": [{"type": "input_text", "text": "hi"}],
            },
            {"type": "item_reference", "id": "msg_0"},
        ],
        "first_id": "msg_1",
        "last_id": "msg_0",
        "has_more": False,
    }
    parsed = ItemList.model_validate(page)
    assert isinstance(parsed.data[0], MessageItem)
    assert isinstance(parsed.data[1], ItemReferenceItem)
    assert parsed.to_dict() == page
