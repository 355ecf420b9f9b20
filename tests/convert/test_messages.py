"""LangChain messages -> Responses input items (``convert/messages.py``, ``ai.py``, ``content.py``).

Every body built here is validated against the OpenAPI spec.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)

from langchain_responses._wire.response import Response
from langchain_responses.convert.messages import to_input_items
from langchain_responses.convert.output import to_ai_message
from langchain_responses.convert.params import request_body
from langchain_responses.errors import InvalidRequestError
from tests.support.spec import validate_request

Json = dict[str, Any]
PNG = "iVBORw0KGgo="
PDF = "JVBERi0xLjQK"


def items(messages: list[BaseMessage], **options: Any) -> list[Json]:
    """The input items, checked against the spec as a whole request body."""
    built = to_input_items(messages, **options)
    validate_request("/v1/responses", "POST", {"model": "gpt-4.1", "input": built})
    return built


def response(output: list[Json], **fields: Any) -> Response:
    return Response.model_validate(
        {"id": "resp_1", "object": "response", "status": "completed", "model": "gpt-5"}
        | {"output": output, **fields}
    )


def user_parts(*blocks: Any) -> list[Json]:
    [item] = items([HumanMessage(content=list(blocks))])
    assert item["role"] == "user"
    parts: list[Json] = item["content"]
    return parts


# -- system, developer, user -------------------------------------------------------------


def test_system_developer_and_user_messages_keep_their_place() -> None:
    built = items(
        [
            SystemMessage("Be terse."),
            HumanMessage("Hi"),
            SystemMessage("Answer in French.", additional_kwargs={"__openai_role__": "developer"}),
            HumanMessage("Again"),
        ]
    )
    assert built == [
        {"role": "system", "content": "Be terse."},
        {"role": "user", "content": "Hi"},
        {"role": "developer", "content": "Answer in French."},
        {"role": "user", "content": "Again"},
    ]


def test_system_message_with_blocks() -> None:
    [item] = items([SystemMessage(content=[{"type": "text", "text": "Be terse."}])])
    assert item == {"role": "system", "content": [{"type": "input_text", "text": "Be terse."}]}


IMAGE_URL = "https://example.com/cat.png"
FILE_URL = "https://example.com/paper.pdf"


@pytest.mark.parametrize(
    ("block", "part"),
    [
        pytest.param(
            {"type": "text", "text": "look"}, {"type": "input_text", "text": "look"}, id="text"
        ),
        pytest.param("plain", {"type": "input_text", "text": "plain"}, id="str"),
        # LangChain standard blocks
        pytest.param(
            {"type": "image", "url": IMAGE_URL},
            {"type": "input_image", "image_url": IMAGE_URL, "detail": "auto"},
            id="image-url",
        ),
        pytest.param(
            {"type": "image", "base64": PNG, "mime_type": "image/png"},
            {"type": "input_image", "image_url": f"data:image/png;base64,{PNG}", "detail": "auto"},
            id="image-base64",
        ),
        pytest.param(
            {"type": "image", "file_id": "file-img", "extras": {"detail": "high"}},
            {"type": "input_image", "file_id": "file-img", "detail": "high"},
            id="image-file-id",
        ),
        pytest.param(
            {"type": "file", "base64": PDF, "mime_type": "application/pdf", "filename": "a.pdf"},
            {
                "type": "input_file",
                "file_data": f"data:application/pdf;base64,{PDF}",
                "filename": "a.pdf",
            },
            id="pdf-base64",
        ),
        pytest.param(
            {"type": "file", "url": FILE_URL},
            {"type": "input_file", "file_url": FILE_URL},
            id="file-url",
        ),
        pytest.param(
            {"type": "file", "file_id": "file-pdf"},
            {"type": "input_file", "file_id": "file-pdf"},
            id="file-id",
        ),
        # legacy data blocks (source_type)
        pytest.param(
            {"type": "image", "source_type": "url", "url": IMAGE_URL},
            {"type": "input_image", "image_url": IMAGE_URL, "detail": "auto"},
            id="legacy-image-url",
        ),
        pytest.param(
            {"type": "image", "source_type": "base64", "data": PNG, "mime_type": "image/jpeg"},
            {"type": "input_image", "image_url": f"data:image/jpeg;base64,{PNG}", "detail": "auto"},
            id="legacy-image-base64",
        ),
        pytest.param(
            {"type": "image", "source_type": "id", "id": "file-img"},
            {"type": "input_image", "file_id": "file-img", "detail": "auto"},
            id="legacy-image-id",
        ),
        pytest.param(
            {
                "type": "file",
                "source_type": "base64",
                "data": PDF,
                "mime_type": "application/pdf",
                "metadata": {"filename": "b.pdf"},
            },
            {
                "type": "input_file",
                "file_data": f"data:application/pdf;base64,{PDF}",
                "filename": "b.pdf",
            },
            id="legacy-pdf-base64",
        ),
        pytest.param(
            {"type": "file", "source_type": "url", "url": FILE_URL},
            {"type": "input_file", "file_url": FILE_URL},
            id="legacy-file-url",
        ),
        pytest.param(
            {"type": "file", "source_type": "id", "id": "file-pdf"},
            {"type": "input_file", "file_id": "file-pdf"},
            id="legacy-file-id",
        ),
        # Chat Completions style
        pytest.param(
            {"type": "image_url", "image_url": {"url": IMAGE_URL, "detail": "low"}},
            {"type": "input_image", "image_url": IMAGE_URL, "detail": "low"},
            id="chat-image-url",
        ),
        pytest.param(
            {"type": "image_url", "image_url": f"data:image/png;base64,{PNG}"},
            {"type": "input_image", "image_url": f"data:image/png;base64,{PNG}", "detail": "auto"},
            id="chat-image-url-string",
        ),
        pytest.param(
            {
                "type": "file",
                "file": {"filename": "c.pdf", "file_data": f"data:application/pdf;base64,{PDF}"},
            },
            {
                "type": "input_file",
                "filename": "c.pdf",
                "file_data": f"data:application/pdf;base64,{PDF}",
            },
            id="chat-file-data",
        ),
        pytest.param(
            {"type": "file", "file": {"file_id": "file-pdf"}},
            {"type": "input_file", "file_id": "file-pdf"},
            id="chat-file-id",
        ),
        # Responses parts pass through
        pytest.param(
            {"type": "input_text", "text": "as is"},
            {"type": "input_text", "text": "as is"},
            id="input_text",
        ),
        pytest.param(
            {"type": "input_image", "image_url": IMAGE_URL, "detail": "original"},
            {"type": "input_image", "image_url": IMAGE_URL, "detail": "original"},
            id="input_image",
        ),
        pytest.param(
            {"type": "input_file", "file_url": FILE_URL, "detail": "low"},
            {"type": "input_file", "file_url": FILE_URL, "detail": "low"},
            id="input_file",
        ),
    ],
)
def test_user_content_blocks(block: Any, part: Json) -> None:
    assert user_parts(block) == [part]


def test_mixed_user_content_keeps_order() -> None:
    parts = user_parts(
        {"type": "text", "text": "Compare"},
        {"type": "image", "url": IMAGE_URL},
        "with",
        {"type": "file", "file_id": "file-pdf"},
    )
    assert [part["type"] for part in parts] == [
        "input_text",
        "input_image",
        "input_text",
        "input_file",
    ]


@pytest.mark.parametrize(
    "block",
    [
        {"type": "audio", "base64": "UklGR", "mime_type": "audio/wav"},
        {"type": "audio", "source_type": "url", "url": "https://example.com/a.mp3"},
        {"type": "input_audio", "input_audio": {"data": "UklGR", "format": "wav"}},
    ],
)
def test_audio_is_refused_clearly(block: Json) -> None:
    with pytest.raises(InvalidRequestError, match="no audio input"):
        to_input_items([HumanMessage(content=[block])])


@pytest.mark.parametrize(
    "block",
    [
        {"type": "image"},
        {"type": "image", "mime_type": "image/png"},
        {"type": "image", "source_type": "url"},
        {"type": "image_url", "image_url": {"detail": "high"}},
    ],
)
def test_image_without_data_or_url_is_refused(block: Json) -> None:
    with pytest.raises(InvalidRequestError, match="image"):
        to_input_items([HumanMessage(content=[block])])


def test_file_without_data_is_refused() -> None:
    with pytest.raises(InvalidRequestError, match="file block"):
        to_input_items([HumanMessage(content=[{"type": "file", "mime_type": "application/pdf"}])])


def test_unknown_block_type_is_refused() -> None:
    with pytest.raises(InvalidRequestError, match="Unsupported content block type 'video'"):
        to_input_items([HumanMessage(content=[{"type": "video", "url": "https://x/v.mp4"}])])


# -- AI messages ----------------------------------------------------------------------------

REASONING = {
    "type": "reasoning",
    "id": "rs_1",
    "summary": [{"type": "summary_text", "text": "Thinking."}],
    "encrypted_content": "gAAAA-encrypted",
}
MESSAGE = {
    "type": "message",
    "id": "msg_1",
    "role": "assistant",
    "status": "completed",
    "content": [
        {
            "type": "output_text",
            "text": "Let me check.",
            "annotations": [
                {
                    "type": "url_citation",
                    "url": "https://example.com",
                    "title": "Example",
                    "start_index": 0,
                    "end_index": 3,
                }
            ],
            "logprobs": [],
        }
    ],
}
FUNCTION_CALL = {
    "type": "function_call",
    "id": "fc_1",
    "call_id": "call_weather",
    "name": "get_weather",
    "arguments": '{"city": "Paris"}',
    "status": "completed",
}
WEB_SEARCH = {
    "type": "web_search_call",
    "id": "ws_1",
    "status": "completed",
    "action": {
        "type": "search",
        "query": "weather paris",
        "sources": [{"type": "url", "url": "u"}],
    },
}
CODE_INTERPRETER = {
    "type": "code_interpreter_call",
    "id": "ci_1",
    "status": "completed",
    "container_id": "cntr_1",
    "code": "print(1)",
    "outputs": [{"type": "logs", "logs": "1\n"}],
}
IMAGE_GENERATION = {
    "type": "image_generation_call",
    "id": "ig_1",
    "status": "completed",
    "result": PNG,
}
FILE_SEARCH = {
    "type": "file_search_call",
    "id": "fs_1",
    "status": "completed",
    "queries": ["q"],
    "results": None,
}
MCP_CALL = {
    "type": "mcp_call",
    "id": "mcp_1",
    "server_label": "wiki",
    "name": "ask",
    "arguments": "{}",
    "output": "answer",
}
COMPUTER_CALL = {
    "type": "computer_call",
    "id": "cu_1",
    "call_id": "call_computer",
    "status": "completed",
    "pending_safety_checks": [{"id": "sc_1", "code": "malicious_instructions", "message": "m"}],
    "actions": [{"type": "click", "button": "left", "x": 1, "y": 2}],
}
SHELL_CALL = {
    "type": "shell_call",
    "id": "sh_1",
    "call_id": "call_shell",
    "status": "completed",
    "action": {"commands": ["ls"], "timeout_ms": 1000, "max_output_length": 4096},
}
PATCH_CALL = {
    "type": "apply_patch_call",
    "id": "ap_1",
    "call_id": "call_patch",
    "status": "completed",
    "operation": {"type": "update_file", "path": "a.py", "diff": "@@\n-a\n+b\n"},
}
CUSTOM_CALL = {
    "type": "custom_tool_call",
    "id": "ctc_1",
    "call_id": "call_sql",
    "name": "sql",
    "input": "SELECT 1",
}
MCP_APPROVAL = {
    "type": "mcp_approval_request",
    "id": "mcpr_1",
    "server_label": "wiki",
    "name": "delete_page",
    "arguments": '{"page": "x"}',
}
BUILTINS = [WEB_SEARCH, CODE_INTERPRETER, IMAGE_GENERATION, FILE_SEARCH, MCP_CALL]
CLIENT_CALLS = [COMPUTER_CALL, SHELL_CALL, PATCH_CALL, CUSTOM_CALL, MCP_APPROVAL]


def test_ai_message_replays_every_output_item_unchanged() -> None:
    output = [REASONING, *BUILTINS, MESSAGE, FUNCTION_CALL, *CLIENT_CALLS]
    ai = to_ai_message(response(output))
    assert items([HumanMessage("hi"), ai])[1:] == output


def test_plain_ai_text() -> None:
    assert items([HumanMessage("hi"), AIMessage("Hello!")])[1:] == [
        {"role": "assistant", "content": "Hello!"}
    ]


def test_empty_plain_ai_message_sends_nothing() -> None:
    assert items([HumanMessage("hi"), AIMessage("")]) == [{"role": "user", "content": "hi"}]


def test_ai_text_blocks_without_ids() -> None:
    ai = AIMessage(content=[{"type": "text", "text": "Hel"}, {"type": "text", "text": "lo"}])
    assert items([HumanMessage("hi"), ai])[1:] == [{"role": "assistant", "content": "Hello"}]


def test_refusal_replays_in_its_message() -> None:
    refused = {
        "type": "message",
        "id": "msg_r",
        "role": "assistant",
        "status": "completed",
        "content": [{"type": "refusal", "refusal": "I can't help with that."}],
    }
    ai = to_ai_message(response([refused]))
    assert items([HumanMessage("hi"), ai])[1:] == [refused]


def test_phase_is_kept() -> None:
    phased = {**MESSAGE, "phase": "commentary"}
    ai = to_ai_message(response([phased]))
    assert items([HumanMessage("hi"), ai])[1] == phased


def test_hand_built_ai_message_with_only_tool_calls() -> None:
    ai = AIMessage(
        content="",
        tool_calls=[
            {"name": "get_weather", "args": {"city": "Paris"}, "id": "call_1"},
            {"name": "get_time", "args": {}, "id": "call_2"},
        ],
    )
    built = items(
        [
            HumanMessage("hi"),
            ai,
            ToolMessage("sunny", tool_call_id="call_1"),
            ToolMessage("noon", tool_call_id="call_2"),
        ]
    )
    assert built[1:] == [
        {
            "type": "function_call",
            "call_id": "call_1",
            "name": "get_weather",
            "arguments": '{"city": "Paris"}',
        },
        {"type": "function_call", "call_id": "call_2", "name": "get_time", "arguments": "{}"},
        {"type": "function_call_output", "call_id": "call_1", "output": "sunny"},
        {"type": "function_call_output", "call_id": "call_2", "output": "noon"},
    ]


def test_hand_built_ai_message_with_text_and_tool_calls() -> None:
    ai = AIMessage(
        content="Checking.", tool_calls=[{"name": "f", "args": {"x": 1}, "id": "call_1"}]
    )
    built = items([HumanMessage("hi"), ai, ToolMessage("1", tool_call_id="call_1")])
    assert built[1] == {"role": "assistant", "content": "Checking."}
    assert built[2]["type"] == "function_call"


def test_standard_tool_call_blocks_become_function_calls() -> None:
    ai = AIMessage(
        content=[
            {"type": "text", "text": "Calling."},
            {"type": "tool_call", "id": "call_1", "name": "f", "args": {"a": 1}},
        ],
        tool_calls=[{"name": "f", "args": {"a": 1}, "id": "call_1"}],
    )
    built = items([HumanMessage("hi"), ai, ToolMessage("ok", tool_call_id="call_1")])
    assert [item.get("type", "message") for item in built[1:]] == [
        "message",
        "function_call",
        "function_call_output",
    ]


def test_edited_tool_call_arguments_win() -> None:
    ai = to_ai_message(response([FUNCTION_CALL]))
    edited = ai.model_copy(update={"tool_calls": [{**ai.tool_calls[0], "args": {"city": "Lyon"}}]})
    [call] = items([HumanMessage("hi"), edited])[1:]
    assert call == {**FUNCTION_CALL, "arguments": '{"city": "Lyon"}'}


def test_unchanged_tool_call_arguments_keep_the_original_text() -> None:
    spaced = {**FUNCTION_CALL, "arguments": '{ "city" :  "Paris" }'}
    ai = to_ai_message(response([spaced]))
    assert items([HumanMessage("hi"), ai])[1] == spaced


def test_reasoning_is_replayed_with_encrypted_content() -> None:
    ai = to_ai_message(response([REASONING, MESSAGE]))
    built = items([HumanMessage("hi"), ai], keep_reasoning=False)
    assert built[1] == REASONING


def test_reasoning_without_encrypted_content_dropped_when_not_replayable() -> None:
    plain = {"type": "reasoning", "id": "rs_2", "summary": []}
    ai = to_ai_message(response([plain, MESSAGE]))
    assert items([HumanMessage("hi"), ai])[1] == plain
    assert items([HumanMessage("hi"), ai], keep_reasoning=False)[1:] == [MESSAGE]


def test_store_false_drops_unreplayable_reasoning_in_the_body() -> None:
    plain = {"type": "reasoning", "id": "rs_2", "summary": []}
    ai = to_ai_message(response([plain, REASONING, MESSAGE]))
    body = request_body({"model": "gpt-5", "store": False}, [HumanMessage("hi"), ai])
    validate_request("/v1/responses", "POST", body)
    assert [item.get("id") for item in body["input"][1:]] == ["rs_1", "msg_1"]
    assert "reasoning.encrypted_content" in body["include"]


def test_standard_reasoning_blocks_from_other_providers_are_not_replayed() -> None:
    ai = AIMessage(
        content=[{"type": "reasoning", "reasoning": "hmm"}, {"type": "text", "text": "Hi"}]
    )
    assert items([HumanMessage("hi"), ai])[1:] == [{"role": "assistant", "content": "Hi"}]


def test_unknown_output_items_are_kept_and_replayed() -> None:
    unknown = {"type": "future_item", "id": "fi_1", "payload": {"deep": [1, 2]}}
    ai = to_ai_message(response([unknown, MESSAGE]))
    assert ai.content[0] == {**unknown, "index": 0}
    assert to_input_items([HumanMessage("hi"), ai])[1:] == [unknown, MESSAGE]


def test_fields_named_index_inside_items_survive_replay() -> None:
    """Only LangChain's merge keys are dropped: a citation's ``index`` is part of the item."""
    cited = {
        **MESSAGE,
        "content": [
            {
                "type": "output_text",
                "text": "See the file.",
                "annotations": [
                    {"type": "file_citation", "file_id": "file-1", "filename": "a.txt", "index": 4},
                    {"type": "file_path", "file_id": "file-2", "index": 8},
                ],
                "logprobs": [],
            }
        ],
    }
    listed = {
        "type": "mcp_list_tools",
        "id": "mcpl_1",
        "server_label": "wiki",
        "tools": [
            {
                "name": "page",
                "input_schema": {"type": "object", "properties": {"index": {"type": "integer"}}},
            }
        ],
    }
    ai = to_ai_message(response([listed, cited]))
    assert items([HumanMessage("hi"), ai])[1:] == [listed, cited]


def test_standard_v1_content_replays_as_the_original_items() -> None:
    """``output_version="v1"`` messages hold ``content_blocks``: they go back as the items."""
    reasoning = {
        "type": "reasoning",
        "id": "rs_1",
        "summary": [
            {"type": "summary_text", "text": "First."},
            {"type": "summary_text", "text": "Second."},
        ],
        "encrypted_content": "gAAAA-encrypted",
    }
    cited = {
        **MESSAGE,
        "content": [
            {
                "type": "output_text",
                "text": "See both.",
                "annotations": [
                    MESSAGE["content"][0]["annotations"][0],
                    {"type": "file_citation", "file_id": "file-1", "filename": "a.txt", "index": 4},
                ],
                "logprobs": [],
            }
        ],
    }
    output = [reasoning, cited, FUNCTION_CALL, *CLIENT_CALLS]
    ai = to_ai_message(response(output))
    v1 = ai.model_copy(update={"content": ai.content_blocks})
    assert {block["type"] for block in v1.content} == {"reasoning", "text", "tool_call"}
    assert items([HumanMessage("hi"), v1])[1:] == [
        reasoning,
        cited,
        {k: v for k, v in FUNCTION_CALL.items() if k not in {"id", "status"}},
        *CLIENT_CALLS,
    ]


def test_merged_chunks_in_history_are_accepted() -> None:
    """Chunks with LangChain's ``index`` keys, merged as a stream is, replay cleanly."""
    first = AIMessageChunk(
        content=[
            {"type": "reasoning", "id": "rs_1", "summary": [], "index": 0},
            {"type": "text", "text": "Let me ", "index": 1},
        ],
        tool_call_chunks=[{"name": "f", "args": '{"a"', "id": "call_1", "index": 2}],
    )
    second = AIMessageChunk(
        content=[
            {
                "type": "reasoning",
                "summary": [{"type": "summary_text", "text": "Hmm", "index": 0}],
                "encrypted_content": "gAAAA",
                "index": 0,
            },
            {"type": "text", "text": "check.", "id": "msg_1", "index": 1},
            {
                "type": "function_call",
                "call_id": "call_1",
                "name": "f",
                "arguments": '{"a": 1}',
                "id": "fc_1",
                "index": 2,
            },
        ],
        tool_call_chunks=[{"args": ": 1}", "index": 2}],
    )
    merged = first + second
    built = items([HumanMessage("hi"), merged, ToolMessage("done", tool_call_id="call_1")])
    assert built[1] == {
        "type": "reasoning",
        "id": "rs_1",
        "summary": [{"type": "summary_text", "text": "Hmm"}],
        "encrypted_content": "gAAAA",
    }
    assert built[2]["content"][0]["text"] == "Let me check."
    assert built[3] == {
        "type": "function_call",
        "call_id": "call_1",
        "name": "f",
        "arguments": '{"a": 1}',
        "id": "fc_1",
    }
    assert built[4] == {"type": "function_call_output", "call_id": "call_1", "output": "done"}
    assert "index" not in json.dumps(built)


# -- tool results ---------------------------------------------------------------------------


def history_with(call: Json, result: ToolMessage) -> Json:
    """The output item built for ``result`` answering ``call``."""
    ai = to_ai_message(response([call]))
    built = items([HumanMessage("go"), ai, result])
    assert built[1] == call
    output: Json = built[2]
    return output


def test_function_call_output_string() -> None:
    out = history_with(FUNCTION_CALL, ToolMessage("sunny", tool_call_id="call_weather"))
    assert out == {"type": "function_call_output", "call_id": "call_weather", "output": "sunny"}


def test_function_call_output_multimodal() -> None:
    result = ToolMessage(
        content=[
            {"type": "text", "text": "Here:"},
            {"type": "image", "base64": PNG, "mime_type": "image/png"},
            {"type": "file", "base64": PDF, "mime_type": "application/pdf", "filename": "r.pdf"},
        ],
        tool_call_id="call_weather",
    )
    out = history_with(FUNCTION_CALL, result)
    assert out["output"] == [
        {"type": "input_text", "text": "Here:"},
        {"type": "input_image", "image_url": f"data:image/png;base64,{PNG}", "detail": "auto"},
        {
            "type": "input_file",
            "file_data": f"data:application/pdf;base64,{PDF}",
            "filename": "r.pdf",
        },
    ]


def test_function_call_output_text_blocks_join_into_a_string() -> None:
    result = ToolMessage(
        content=[{"type": "text", "text": '{"t": 21}'}], tool_call_id="call_weather"
    )
    assert history_with(FUNCTION_CALL, result)["output"] == '{"t": 21}'


def test_custom_tool_call_output() -> None:
    out = history_with(CUSTOM_CALL, ToolMessage("1 row", tool_call_id="call_sql"))
    assert out == {"type": "custom_tool_call_output", "call_id": "call_sql", "output": "1 row"}


def test_computer_call_output_from_an_image_block() -> None:
    result = ToolMessage(
        content=[{"type": "image", "base64": PNG, "mime_type": "image/png"}],
        tool_call_id="call_computer",
        artifact={"acknowledged_safety_checks": COMPUTER_CALL["pending_safety_checks"]},
    )
    out = history_with(COMPUTER_CALL, result)
    assert out == {
        "type": "computer_call_output",
        "call_id": "call_computer",
        "output": {"type": "computer_screenshot", "image_url": f"data:image/png;base64,{PNG}"},
        "acknowledged_safety_checks": COMPUTER_CALL["pending_safety_checks"],
    }


def test_computer_call_output_from_a_data_url_string() -> None:
    result = ToolMessage(f"data:image/png;base64,{PNG}", tool_call_id="call_computer")
    out = history_with(COMPUTER_CALL, result)
    assert out["output"] == {
        "type": "computer_screenshot",
        "image_url": f"data:image/png;base64,{PNG}",
    }


def test_computer_call_output_without_a_screenshot_is_refused() -> None:
    ai = to_ai_message(response([COMPUTER_CALL]))
    with pytest.raises(InvalidRequestError, match="no screenshot"):
        to_input_items([ai, ToolMessage("clicked", tool_call_id="call_computer")])


@pytest.mark.parametrize(("status", "expected"), [("success", "completed"), ("error", "failed")])
def test_apply_patch_call_output_status(status: str, expected: str) -> None:
    result = ToolMessage("patched", tool_call_id="call_patch", status=status)
    out = history_with(PATCH_CALL, result)
    assert out == {
        "type": "apply_patch_call_output",
        "call_id": "call_patch",
        "status": expected,
        "output": "patched",
    }


@pytest.mark.parametrize(("status", "code"), [("success", 0), ("error", 1)])
def test_shell_call_output_from_text(status: str, code: int) -> None:
    out = history_with(SHELL_CALL, ToolMessage("a.txt\n", tool_call_id="call_shell", status=status))
    assert out == {
        "type": "shell_call_output",
        "call_id": "call_shell",
        "output": [
            {"stdout": "a.txt\n", "stderr": "", "outcome": {"type": "exit", "exit_code": code}}
        ],
        "max_output_length": 4096,
    }


def test_shell_call_output_from_an_executor_artifact() -> None:
    outputs = [{"stdout": "", "stderr": "slow", "outcome": {"type": "timeout"}}]
    result = ToolMessage("timed out", tool_call_id="call_shell", artifact={"output": outputs})
    assert history_with(SHELL_CALL, result)["output"] == outputs


@pytest.mark.parametrize(
    ("content", "artifact", "approve"),
    [
        ("yes", None, True),
        ("no", None, False),
        ("", {"approve": True, "reason": "fine"}, True),
        ("", False, False),
    ],
)
def test_mcp_approval_response(content: str, artifact: Any, approve: bool) -> None:
    result = ToolMessage(content, tool_call_id="mcpr_1", artifact=artifact)
    out = history_with(MCP_APPROVAL, result)
    assert out["type"] == "mcp_approval_response"
    assert out["approval_request_id"] == "mcpr_1"
    assert out["approve"] is approve


def test_tool_message_answering_no_call_is_refused() -> None:
    with pytest.raises(InvalidRequestError, match="answers no tool call"):
        to_input_items([HumanMessage("hi"), ToolMessage("x", tool_call_id="call_unknown")])


def test_tool_message_for_a_stored_call_is_allowed_when_stateful() -> None:
    built = items([ToolMessage("x", tool_call_id="call_on_server")], stateful=True)
    assert built == [{"type": "function_call_output", "call_id": "call_on_server", "output": "x"}]
    for chained in ({"previous_response_id": "resp_0"}, {"conversation": "conv_1"}):
        body = request_body({"model": "m", **chained}, [ToolMessage("x", tool_call_id="c_1")])
        validate_request("/v1/responses", "POST", body)
        assert body["input"][0]["call_id"] == "c_1"


def test_conversation_with_every_kind_of_result_validates() -> None:
    ai = to_ai_message(response([REASONING, MESSAGE, FUNCTION_CALL, *BUILTINS, *CLIENT_CALLS]))
    results = [
        ToolMessage("sunny", tool_call_id="call_weather"),
        ToolMessage(f"data:image/png;base64,{PNG}", tool_call_id="call_computer"),
        ToolMessage("ok", tool_call_id="call_shell"),
        ToolMessage("ok", tool_call_id="call_patch"),
        ToolMessage("ok", tool_call_id="call_sql"),
        ToolMessage("yes", tool_call_id="mcpr_1"),
    ]
    body = request_body(
        {"model": "gpt-5", "store": False, "reasoning_effort": "low"},
        [SystemMessage("sys"), HumanMessage("go"), ai, *results, HumanMessage("more")],
    )
    validate_request("/v1/responses", "POST", body)
    kinds = [item.get("type") for item in body["input"]]
    for kind in (
        "function_call_output",
        "computer_call_output",
        "shell_call_output",
        "apply_patch_call_output",
        "custom_tool_call_output",
        "mcp_approval_response",
    ):
        assert kind in kinds


# -- cost --------------------------------------------------------------------------------------


def test_building_a_long_history_is_linear() -> None:
    """3,000 messages: a smoke check for accidental quadratic work, not a benchmark."""
    messages: list[BaseMessage] = [SystemMessage("sys")]
    for turn in range(750):
        call_id = f"call_{turn}"
        messages += [
            HumanMessage(f"question {turn}"),
            to_ai_message(response([{**FUNCTION_CALL, "id": f"fc_{turn}", "call_id": call_id}])),
            ToolMessage("result", tool_call_id=call_id),
        ]
    messages += [AIMessage("done")] * (3000 - len(messages))
    started = time.perf_counter()
    body = request_body({"model": "gpt-4.1"}, messages)
    elapsed = time.perf_counter() - started
    assert len(messages) == 3000
    assert len(body["input"]) == 3000
    assert elapsed < 2.0
