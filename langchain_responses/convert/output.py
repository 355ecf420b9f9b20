"""A response (its JSON, or a typed ``Response``) -> an ``AIMessage`` (pure).

Content is a list of blocks in the ``responses/v1`` layout langchain-openai uses: ``text`` and
``refusal`` blocks for message parts (with the message ``id``), and every other output item as
its raw JSON (reasoning with ``encrypted_content``, tool calls, hosted tool results, items this
package does not know yet). Nothing is dropped, so the next turn can replay every item. Blocks
carry an ``index`` so streamed chunks merge into exactly the same message
(docs/guides/streaming.md).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from langchain_core.messages import AIMessage, InvalidToolCall, ToolCall
from langchain_core.messages.ai import InputTokenDetails, OutputTokenDetails, UsageMetadata

from langchain_responses.convert.calls import CALL_ITEM_TYPES, to_tool_call
from langchain_responses.convert.response_json import response_json

if TYPE_CHECKING:
    from langchain_responses._wire.response import Response

JsonObject = dict[str, Any]

MODEL_PROVIDER = "openai-responses"
"""``response_metadata["model_provider"]``: selects our content-block translator."""

_INDEXED_LISTS = ("summary", "content")


def part_block(part: Mapping[str, Any], item: Mapping[str, Any]) -> JsonObject:
    """The content block for one part of an assistant message."""
    kind = part.get("type")
    if kind == "output_text":
        block: JsonObject = {"type": "text", **{k: v for k, v in part.items() if k != "type"}}
    elif kind == "refusal":
        block = dict(part)
    else:
        block = {"type": "non_standard", "value": dict(part)}
    if item.get("id") is not None:
        block["id"] = item["id"]
    if item.get("phase") is not None:
        block["phase"] = item["phase"]
    return block


def item_block(item: Mapping[str, Any], index: int) -> JsonObject:
    """A non-message item as a block: its raw JSON, nested summary/content parts indexed."""
    block: JsonObject = dict(item)
    if block.get("type") == "reasoning":
        for key in _INDEXED_LISTS:
            parts = block.get(key)
            if isinstance(parts, list):
                block[key] = [
                    {**part, "index": k} if isinstance(part, dict) else part
                    for k, part in enumerate(parts)
                ]
    block["index"] = index
    return block


def item_blocks(item: Mapping[str, Any], counter: Iterator[int]) -> list[JsonObject]:
    """The blocks of one output item, numbered from ``counter``."""
    if item.get("type") == "message" and isinstance(item.get("content"), list):
        return [{**part_block(part, item), "index": next(counter)} for part in item["content"]]
    return [item_block(item, next(counter))]


def to_usage(usage: Mapping[str, Any] | None) -> UsageMetadata | None:
    """LangChain usage: cached input tokens as ``cache_read``, reasoning tokens split out.

    Read from the ``usage`` JSON with the wire model's defaults: a missing (or ``null``) count
    or ``*_details`` object counts as zero.
    """
    if usage is None:
        return None
    input_details = usage.get("input_tokens_details") or {}
    output_details = usage.get("output_tokens_details") or {}
    inputs = InputTokenDetails(cache_read=input_details.get("cached_tokens") or 0)
    if input_details.get("cache_write_tokens"):
        inputs["cache_creation"] = input_details["cache_write_tokens"]
    return UsageMetadata(
        input_tokens=usage.get("input_tokens") or 0,
        output_tokens=usage.get("output_tokens") or 0,
        total_tokens=usage.get("total_tokens") or 0,
        input_token_details=inputs,
        output_token_details=OutputTokenDetails(
            reasoning=output_details.get("reasoning_tokens") or 0
        ),
    )


def finish_reason(response: Mapping[str, Any], has_tool_calls: bool) -> str | None:
    """LangChain-style finish reason: stop, tool_calls, length, content_filter."""
    status = response.get("status")
    if status == "incomplete":
        reason = (response.get("incomplete_details") or {}).get("reason")
        return {"max_output_tokens": "length"}.get(str(reason), reason)
    if status == "completed":
        return "tool_calls" if has_tool_calls else "stop"
    return status


def to_metadata(response: Mapping[str, Any], has_tool_calls: bool) -> JsonObject:
    """``response_metadata``: ids, model, status and why the response ended."""
    meta: JsonObject = {
        "id": response["id"],
        "model_name": response.get("model"),
        "model_provider": MODEL_PROVIDER,
        "status": response.get("status"),
        "finish_reason": finish_reason(response, has_tool_calls),
    }
    if response.get("created_at") is not None:
        meta["created_at"] = response["created_at"]
    if response.get("service_tier") is not None:
        meta["service_tier"] = response["service_tier"]
    if response.get("incomplete_details") is not None:
        meta["incomplete_details"] = dict(response["incomplete_details"])
    if response.get("conversation") is not None:
        meta["conversation_id"] = response["conversation"].get("id")
    return meta


def calls_of(items: list[JsonObject]) -> tuple[list[ToolCall], list[InvalidToolCall]]:
    """Tool calls (and unparsable ones) for the call items the client must answer."""
    calls: list[ToolCall] = []
    invalid: list[InvalidToolCall] = []
    for item in items:
        if item.get("type") in CALL_ITEM_TYPES:
            call = to_tool_call(item)
            if call is not None and call.get("type") == "invalid_tool_call":
                invalid.append(call)  # type: ignore[arg-type]
            elif call is not None:
                calls.append(call)  # type: ignore[arg-type]
    return calls, invalid


def message_from_json(response: Mapping[str, Any]) -> AIMessage:
    """The ``AIMessage`` for a finished response, from its JSON (see ``response_json.is_readable``).

    Every item is used as received, so unknown item types pass through untouched.
    """
    items: list[JsonObject] = response["output"]
    counter = itertools.count()
    content = [block for item in items for block in item_blocks(item, counter)]
    calls, invalid = calls_of(items)
    return AIMessage(
        content=content,  # type: ignore[arg-type]
        tool_calls=calls,
        invalid_tool_calls=invalid,
        usage_metadata=to_usage(response.get("usage")),
        response_metadata=to_metadata(response, bool(calls or invalid)),
        id=response["id"],
    )


def to_ai_message(response: Response) -> AIMessage:
    """The ``AIMessage`` for a finished (typed) response."""
    return message_from_json(response_json(response))


# `content_blocks` of these messages needs our translator, wherever the message was made: the
# translator module registers it on import (at the end here: it imports MODEL_PROVIDER).
from langchain_responses.convert import blocks as _blocks  # noqa: E402, F401
