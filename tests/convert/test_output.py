"""Response -> AIMessage (``convert/output.py``) over every recorded JSON response, and the
standard content blocks our translator gives (``convert/blocks.py``)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from langchain_responses._wire.response import Response
from langchain_responses.convert.messages import to_input_items
from langchain_responses.convert.output import MODEL_PROVIDER, message_from_json, to_ai_message
from langchain_responses.convert.response_json import is_readable
from tests.stream.recorded import Recorded, json_responses

Json = dict[str, Any]
RESPONSES = json_responses()
IDS = [item.id for item in RESPONSES]
STANDARD_TYPES = {
    "text",
    "reasoning",
    "tool_call",
    "invalid_tool_call",
    "server_tool_call",
    "server_tool_result",
    "image",
    "file",
    "non_standard",
}
CLIENT_CALL_TYPES = {
    "function_call",
    "custom_tool_call",
    "computer_call",
    "shell_call",
    "local_shell_call",
    "apply_patch_call",
    "mcp_approval_request",
}


def _body(recorded: Recorded) -> Json:
    body: Json = recorded.interaction.response.body_json
    return body


def _message(recorded: Recorded) -> AIMessage:
    return to_ai_message(Response.model_validate(_body(recorded)))


def test_every_json_response_is_covered() -> None:
    assert len(RESPONSES) >= 200


@pytest.mark.parametrize("recorded", RESPONSES, ids=IDS)
def test_no_output_item_is_dropped(recorded: Recorded) -> None:
    output = _body(recorded)["output"]
    message = _message(recorded)
    parts = sum(len(item["content"]) if item["type"] == "message" else 1 for item in output)
    assert len(message.content) == parts
    assert [block["index"] for block in message.content if isinstance(block, dict)] == list(
        range(parts)
    )
    items = [item for item in output if item["type"] != "message" or item["content"]]
    replayed = to_input_items([message])
    assert len(replayed) == len(items)
    for sent, raw in zip(replayed, items, strict=True):
        if raw["type"] == "message":
            assert sent["id"] == raw["id"]
            assert [p.get("text", p.get("refusal")) for p in sent["content"]] == [
                p.get("text", p.get("refusal")) for p in raw["content"]
            ]
            assert [p.get("annotations", []) for p in sent["content"]] == [
                p.get("annotations", []) for p in raw["content"]
            ]
        else:
            assert sent == raw  # every other item goes back exactly as received


@pytest.mark.parametrize("recorded", RESPONSES, ids=IDS)
def test_text_annotations_and_refusals(recorded: Recorded) -> None:
    message = _message(recorded)
    blocks = iter(block for block in message.content if isinstance(block, dict))
    for item in _body(recorded)["output"]:
        if item["type"] != "message":
            next(blocks)
            continue
        for part in item["content"]:
            block = next(blocks)
            assert block["id"] == item["id"]
            if part["type"] == "output_text":
                assert block["type"] == "text"
                assert block["text"] == part["text"]
                assert block.get("annotations", []) == part.get("annotations", [])
            else:
                assert block == {**part, "id": item["id"], "index": block["index"]} | (
                    {"phase": item["phase"]} if item.get("phase") else {}
                )
    texts = [
        part["text"]
        for item in _body(recorded)["output"]
        if item["type"] == "message"
        for part in item["content"]
        if part["type"] == "output_text"
    ]
    assert message.text == "".join(texts)


@pytest.mark.parametrize("recorded", RESPONSES, ids=IDS)
def test_tool_calls_for_function_and_custom_calls(recorded: Recorded) -> None:
    message = _message(recorded)
    expected = []
    for item in _body(recorded)["output"]:
        if item["type"] == "function_call":
            args = json.loads(item["arguments"] or "{}")
            expected.append({"name": item["name"], "args": args, "id": item["call_id"]})
        elif item["type"] == "custom_tool_call":
            expected.append(
                {"name": item["name"], "args": {"input": item["input"]}, "id": item["call_id"]}
            )
    got = [
        {"name": call["name"], "args": call["args"], "id": call["id"]}
        for call in message.tool_calls
    ]
    assert got == expected
    assert not message.invalid_tool_calls


@pytest.mark.parametrize("recorded", RESPONSES, ids=IDS)
def test_the_json_as_received_gives_the_same_message(recorded: Recorded) -> None:
    """``ChatResponses.invoke`` builds its message from the JSON, never validating a Response."""
    body = json.loads(json.dumps(_body(recorded)))
    assert is_readable(body)
    message = message_from_json(body)
    expected = _message(recorded)
    assert message == expected
    assert json.dumps(message.content) == json.dumps(expected.content)  # key order included


@pytest.mark.parametrize(
    "body",
    [
        pytest.param([], id="not-an-object"),
        pytest.param({"output": []}, id="no-id"),
        pytest.param({"id": "resp_1"}, id="no-output"),
        pytest.param({"id": "resp_1", "output": {}}, id="output-not-a-list"),
        pytest.param({"id": "resp_1", "output": ["x"]}, id="item-not-an-object"),
        pytest.param({"id": "resp_1", "output": [], "usage": 7}, id="usage-not-an-object"),
        pytest.param(
            {"id": "resp_1", "output": [{"type": "message", "content": ["hi"]}]},
            id="part-not-an-object",
        ),
        pytest.param(
            {"id": "resp_1", "output": [{"type": "function_call", "arguments": "{}"}]},
            id="call-without-name",
        ),
        pytest.param(
            {"id": "resp_1", "output": [{"type": "function_call", "name": "f", "arguments": {}}]},
            id="arguments-not-a-string",
        ),
    ],
)
def test_bodies_of_another_shape_need_the_typed_model(body: Any) -> None:
    assert not is_readable(body)


def test_unknown_items_are_readable_as_received() -> None:
    item = {"type": "brand_new_item", "id": "bn_1", "payload": [1, {"k": None}]}
    body = {"id": "resp_1", "status": "completed", "output": [item]}
    assert is_readable(body)
    assert message_from_json(body).content == [{**item, "index": 0}]


@pytest.mark.parametrize("recorded", RESPONSES, ids=IDS)
def test_usage(recorded: Recorded) -> None:
    usage = _body(recorded).get("usage")
    message = _message(recorded)
    if usage is None:
        assert message.usage_metadata is None
        return
    meta = message.usage_metadata
    assert meta is not None
    assert meta["input_tokens"] == usage["input_tokens"]
    assert meta["output_tokens"] == usage["output_tokens"]
    assert meta["total_tokens"] == usage["total_tokens"]
    cached = (usage.get("input_tokens_details") or {}).get("cached_tokens", 0)
    reasoning = (usage.get("output_tokens_details") or {}).get("reasoning_tokens", 0)
    assert meta.get("input_token_details", {}).get("cache_read") == cached
    assert meta.get("output_token_details", {}).get("reasoning") == reasoning


@pytest.mark.parametrize("recorded", RESPONSES, ids=IDS)
def test_response_metadata(recorded: Recorded) -> None:
    body = _body(recorded)
    meta = _message(recorded).response_metadata
    assert meta["id"] == body["id"]
    assert meta["model_name"] == body["model"]
    assert meta["model_provider"] == MODEL_PROVIDER
    assert meta["status"] == body["status"]
    assert meta.get("service_tier") == body.get("service_tier")
    assert meta.get("incomplete_details") == body.get("incomplete_details")
    calls = any(item["type"] in CLIENT_CALL_TYPES for item in body["output"])
    if body["status"] == "completed":
        assert meta["finish_reason"] == ("tool_calls" if calls else "stop")
    elif body["status"] == "incomplete":
        reason = body["incomplete_details"]["reason"]
        assert meta["finish_reason"] == {"max_output_tokens": "length"}.get(reason, reason)


@pytest.mark.parametrize("recorded", RESPONSES, ids=IDS)
def test_content_blocks_are_standard(recorded: Recorded) -> None:
    message = _message(recorded)
    blocks = message.content_blocks
    assert {block["type"] for block in blocks} <= STANDARD_TYPES
    output = _body(recorded)["output"]
    # one citation per url/file citation annotation
    annotations = [
        annotation["type"]
        for item in output
        if item["type"] == "message"
        for part in item["content"]
        for annotation in part.get("annotations") or []
    ]
    citations = [
        annotation
        for block in blocks
        if block["type"] == "text"
        for annotation in block.get("annotations") or []
        if annotation["type"] == "citation"
    ]
    assert len(citations) == sum(kind in {"url_citation", "file_citation"} for kind in annotations)
    urls = [
        annotation["url"]
        for item in output
        if item["type"] == "message"
        for part in item["content"]
        for annotation in part.get("annotations") or []
        if annotation["type"] == "url_citation"
    ]
    assert [c["url"] for c in citations if "url" in c] == urls
    # tool calls of every kind the client answers
    calls = [block for block in blocks if block["type"] == "tool_call"]
    assert [block["id"] for block in calls] == [call["id"] for call in message.tool_calls]
    # hosted tools: a call and its result
    for kind in ("web_search_call", "file_search_call", "code_interpreter_call", "mcp_call"):
        for item in output:
            if item["type"] == kind:
                ids = [b.get("id") for b in blocks if b["type"] == "server_tool_call"]
                assert item["id"] in ids
                results = [
                    b.get("tool_call_id") for b in blocks if b["type"] == "server_tool_result"
                ]
                assert item["id"] in results
    summaries = sum(
        len(item.get("summary") or []) for item in output if item["type"] == "reasoning"
    )
    reasoning_text = [b.get("reasoning") for b in blocks if b["type"] == "reasoning"]
    assert sum(bool(text) for text in reasoning_text) >= min(summaries, 1)


# -- hand-made responses for what the recordings lack ----------------------------------------


def _response(output: list[Json], **fields: Any) -> AIMessage:
    base = {"id": "resp_h", "object": "response", "status": "completed", "model": "gpt-5"}
    return to_ai_message(Response.model_validate({**base, "output": output, **fields}))


def test_refusal() -> None:
    item = {
        "type": "message",
        "id": "msg_r",
        "role": "assistant",
        "status": "completed",
        "content": [{"type": "refusal", "refusal": "I can't help with that."}],
    }
    message = _response([item])
    assert message.content == [
        {"type": "refusal", "refusal": "I can't help with that.", "id": "msg_r", "index": 0}
    ]
    assert message.response_metadata["finish_reason"] == "stop"


def test_reasoning_blocks() -> None:
    item = {
        "type": "reasoning",
        "id": "rs_1",
        "summary": [
            {"type": "summary_text", "text": "First."},
            {"type": "summary_text", "text": "Second."},
        ],
        "content": [{"type": "reasoning_text", "text": "raw"}],
        "encrypted_content": "gAAAA",
    }
    message = _response([item])
    assert message.content[0] == {
        **item,
        "summary": [{**part, "index": k} for k, part in enumerate(item["summary"])],
        "content": [{"type": "reasoning_text", "text": "raw", "index": 0}],
        "index": 0,
    }
    reasoning = [block for block in message.content_blocks if block["type"] == "reasoning"]
    assert [block.get("reasoning") for block in reasoning] == ["First.", "Second."]
    assert to_input_items([message]) == [item]


CLIENT_CALLS: list[Json] = [
    {
        "type": "computer_call",
        "id": "cu_1",
        "call_id": "call_c",
        "status": "completed",
        "pending_safety_checks": [],
        "actions": [{"type": "screenshot"}],
    },
    {
        "type": "shell_call",
        "id": "sh_1",
        "call_id": "call_s",
        "status": "completed",
        "action": {"commands": ["ls"]},
    },
    {
        "type": "apply_patch_call",
        "id": "ap_1",
        "call_id": "call_p",
        "status": "completed",
        "operation": {"type": "delete_file", "path": "a.txt"},
    },
    {"type": "custom_tool_call", "id": "ct_1", "call_id": "call_x", "name": "sql", "input": "1"},
    {
        "type": "mcp_approval_request",
        "id": "mcpr_1",
        "server_label": "s",
        "name": "t",
        "arguments": "{}",
    },
]


def test_client_calls_are_tool_calls_and_tool_call_blocks() -> None:
    message = _response(CLIENT_CALLS)
    assert [(c["name"], c["id"]) for c in message.tool_calls] == [
        ("computer", "call_c"),
        ("shell", "call_s"),
        ("apply_patch", "call_p"),
        ("sql", "call_x"),
        ("mcp_approval", "mcpr_1"),
    ]
    assert message.response_metadata["finish_reason"] == "tool_calls"
    blocks = message.content_blocks
    assert [block["type"] for block in blocks] == ["tool_call"] * 5
    assert [block["extras"]["item"]["type"] for block in blocks] == [  # type: ignore[typeddict-item]
        item["type"] for item in CLIENT_CALLS
    ]


def test_invalid_function_arguments_become_invalid_tool_calls() -> None:
    bad = {
        "type": "function_call",
        "id": "fc_1",
        "call_id": "call_1",
        "name": "f",
        "arguments": '{"a": ',
    }
    message = _response([bad])
    assert message.tool_calls == []
    assert message.invalid_tool_calls[0]["id"] == "call_1"
    assert message.invalid_tool_calls[0]["args"] == '{"a": '
    assert to_input_items([message]) == [bad]


def test_unknown_items_are_kept_and_replayed_next_turn() -> None:
    unknown = {"type": "hologram_call", "id": "hg_1", "status": "completed", "frames": [1, 2]}
    text = {
        "type": "message",
        "id": "msg_1",
        "role": "assistant",
        "status": "completed",
        "content": [{"type": "output_text", "text": "Done.", "annotations": [], "logprobs": []}],
    }
    message = _response([unknown, text])
    assert message.content[0] == {**unknown, "index": 0}
    assert [b["type"] for b in message.content_blocks] == ["non_standard", "text"]
    history = [HumanMessage("go"), message, HumanMessage("and now?")]
    assert to_input_items(history)[1:3] == [unknown, text]


def test_usage_details() -> None:
    usage = {
        "input_tokens": 100,
        "input_tokens_details": {"cached_tokens": 40, "cache_write_tokens": 10},
        "output_tokens": 30,
        "output_tokens_details": {"reasoning_tokens": 20},
        "total_tokens": 130,
    }
    message = _response([], usage=usage)
    assert message.usage_metadata == {
        "input_tokens": 100,
        "output_tokens": 30,
        "total_tokens": 130,
        "input_token_details": {"cache_read": 40, "cache_creation": 10},
        "output_token_details": {"reasoning": 20},
    }


def test_metadata_of_an_incomplete_response() -> None:
    message = _response(
        [],
        status="incomplete",
        incomplete_details={"reason": "max_output_tokens"},
        service_tier="flex",
        conversation={"id": "conv_1"},
    )
    meta = message.response_metadata
    assert meta["status"] == "incomplete"
    assert meta["finish_reason"] == "length"
    assert meta["incomplete_details"] == {"reason": "max_output_tokens"}
    assert meta["service_tier"] == "flex"
    assert meta["conversation_id"] == "conv_1"
    assert message.id == "resp_h"


def test_tool_messages_answer_recorded_client_calls() -> None:
    """A recorded function call, answered by a ToolMessage, makes a valid next input."""
    recorded = next(
        r for r in RESPONSES if any(i["type"] == "function_call" for i in _body(r)["output"])
    )
    message = _message(recorded)
    results = [ToolMessage("ok", tool_call_id=str(call["id"])) for call in message.tool_calls]
    items = to_input_items([HumanMessage("go"), message, *results])
    outputs = [item for item in items if item.get("type") == "function_call_output"]
    assert [item["call_id"] for item in outputs] == [call["id"] for call in message.tool_calls]
