"""Standard LangChain content blocks for our messages (``AIMessage.content_blocks``).

Our content uses the same ``responses/v1`` layout as langchain-openai, so langchain-core's
OpenAI translator does most of the work; on top of it, the calls the client must answer
(computer, shell, apply_patch, custom tools, MCP approvals) become ``tool_call`` blocks, as they
are tool calls on the message.
"""

from __future__ import annotations

from typing import Any, cast

from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.messages import content as types
from langchain_core.messages.block_translators import register_translator
from langchain_core.messages.block_translators.openai import (
    translate_content as openai_content,
)
from langchain_core.messages.block_translators.openai import (
    translate_content_chunk as openai_chunk,
)

from langchain_responses.convert.calls import CALL_ITEM_TYPES, call_id_of
from langchain_responses.convert.output import MODEL_PROVIDER

_CLIENT_CALLS = CALL_ITEM_TYPES - {"function_call"}


def _as_tool_calls(
    message: AIMessage, blocks: list[types.ContentBlock]
) -> list[types.ContentBlock]:
    calls = {call.get("id"): call for call in message.tool_calls}
    out: list[types.ContentBlock] = []
    for block in blocks:
        value: Any = block.get("value") if block.get("type") == "non_standard" else None
        call = (
            calls.get(call_id_of(value))
            if isinstance(value, dict) and value.get("type") in _CLIENT_CALLS
            else None
        )
        if call is None:
            out.append(block)
            continue
        tool_block: dict[str, Any] = {
            "type": "tool_call",
            "id": call.get("id"),
            "name": call["name"],
            "args": call["args"],
        }
        tool_block["extras"] = {"item": value}
        out.append(cast("types.ToolCall", tool_block))
    return out


def translate_content(message: AIMessage) -> list[types.ContentBlock]:
    """Standard blocks for a message from this package."""
    return _as_tool_calls(message, openai_content(message))


def translate_content_chunk(message: AIMessageChunk) -> list[types.ContentBlock]:
    """Standard blocks for a chunk (client calls complete only on the last chunk)."""
    return _as_tool_calls(message, openai_chunk(message))


register_translator(MODEL_PROVIDER, translate_content, translate_content_chunk)
