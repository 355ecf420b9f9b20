"""An ``AIMessage`` -> the output items it came from, ready to send back (pure).

Blocks made by :mod:`convert.output` are raw items and go back unchanged (LangChain's merge
``index`` keys removed); text and refusal blocks are regrouped into their assistant message;
blocks in LangChain's standard format (``tool_call``) and hand-made ``tool_calls`` become
``function_call`` items. Arguments edited in ``tool_calls`` win over the raw item's.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from langchain_core.messages import AIMessage, ToolCall

from langchain_responses.errors import InvalidRequestError

JsonObject = dict[str, Any]
_PART_BLOCKS = frozenset({"text", "output_text", "refusal"})
_INDEXED_PARTS = ("summary", "content")
_SKIPPED = frozenset(
    {"image", "audio", "video", "file", "tool_call_chunk", "server_tool_call", "server_tool_result"}
)


def _clean(block: Mapping[str, Any]) -> JsonObject:
    """Drop the merge ``index`` keys of a block and of its reasoning parts.

    Only those: an item's own ``index`` fields (a file citation's position, a tool schema's
    property named ``index``) are part of the item and go back as received.
    """
    item = {k: v for k, v in block.items() if k != "index"}
    if item.get("type") == "reasoning":
        for key in _INDEXED_PARTS:
            if isinstance(item.get(key), list):
                item[key] = [_clean(p) if isinstance(p, Mapping) else p for p in item[key]]
    return item


def _part(block: Mapping[str, Any]) -> JsonObject:
    if block.get("type") == "refusal":
        return {"type": "refusal", "refusal": block.get("refusal", "")}
    if block.get("type") == "non_standard":
        return _clean(block["value"])
    part: JsonObject = {"type": "output_text", "text": block.get("text", "")}
    part["annotations"] = list(block.get("annotations") or [])
    part["logprobs"] = list(block.get("logprobs") or [])
    return part


class _MessageBuilder:
    """Groups consecutive text/refusal blocks of one assistant message."""

    def __init__(self) -> None:
        self.id: str | None = None
        self.phase: str | None = None
        self.parts: list[JsonObject] = []

    def add(self, block: Mapping[str, Any]) -> JsonObject | None:
        """Add a block; returns the previous message when this block starts a new one."""
        done = self.flush() if self.parts and block.get("id") != self.id else None
        self.id, self.phase = block.get("id"), block.get("phase")
        self.parts.append(_part(block))
        return done

    def flush(self) -> JsonObject | None:
        """The message built so far (None when empty)."""
        if not self.parts:
            return None
        parts, self.parts = self.parts, []
        if self.id is None:
            text = "".join(p.get("text", "") for p in parts if p["type"] == "output_text")
            return {"role": "assistant", "content": text}
        item: JsonObject = {
            "type": "message",
            "role": "assistant",
            "id": self.id,
            "status": "completed",
            "content": parts,
        }
        if self.phase is not None:
            item["phase"] = self.phase
        return item


def _arguments(call: ToolCall) -> str:
    try:
        return json.dumps(call["args"])
    except (TypeError, ValueError) as exc:
        raise InvalidRequestError(
            f"Tool call {call['name']!r} ({call.get('id')}) has arguments that are not "
            f"JSON-serialisable ({exc}); pass plain JSON values (str, int, float, bool, None, "
            "lists and dicts)."
        ) from exc


def _function_call(call: ToolCall) -> JsonObject:
    return {
        "type": "function_call",
        "call_id": call.get("id") or "",
        "name": call["name"],
        "arguments": _arguments(call),
    }


def _with_edited_args(item: JsonObject, calls: Mapping[str, ToolCall]) -> JsonObject:
    call = calls.get(item.get("call_id", ""))
    if call is None or item.get("type") != "function_call":
        return item
    try:
        unchanged = json.loads(item.get("arguments") or "{}") == call["args"]
    except ValueError:
        unchanged = False
    return item if unchanged else {**item, "arguments": _arguments(call)}


def _block_item(block: Mapping[str, Any], keep_reasoning: bool) -> JsonObject | None:
    kind = block.get("type")
    if kind == "tool_call":
        return _function_call(block)  # type: ignore[arg-type]
    if kind == "non_standard" and isinstance(block.get("value"), Mapping):
        return _clean(block["value"])
    if kind in _SKIPPED:
        return None
    if kind == "reasoning":
        if "summary" not in block and "encrypted_content" not in block:
            return None  # standard reasoning text (e.g. from another provider): not replayable
        if not keep_reasoning and not block.get("encrypted_content"):
            return None
    return _clean(block)


def _content_items(message: AIMessage, keep_reasoning: bool) -> Iterator[JsonObject]:
    builder = _MessageBuilder()
    for raw in message.content:
        block: Mapping[str, Any] = {"type": "text", "text": raw} if isinstance(raw, str) else raw
        is_part = block.get("type") in _PART_BLOCKS or (
            block.get("type") == "non_standard" and block.get("id") is not None
        )
        if is_part:
            if (done := builder.add(block)) is not None:
                yield done
            continue
        if (done := builder.flush()) is not None:
            yield done
        if (item := _block_item(block, keep_reasoning)) is not None:
            yield item
    if (done := builder.flush()) is not None:
        yield done


def ai_items(message: AIMessage, *, keep_reasoning: bool = True) -> list[JsonObject]:
    """The input items that replay ``message``."""
    calls = {str(call["id"]): call for call in message.tool_calls if call.get("id")}
    if isinstance(message.content, str):
        items = [{"role": "assistant", "content": message.content}] if message.content else []
    else:
        items = [_with_edited_args(item, calls) for item in _content_items(message, keep_reasoning)]
    answered = {item.get("call_id") for item in items} | {item.get("id") for item in items}
    items.extend(
        _function_call(call) for call in message.tool_calls if call.get("id") not in answered
    )
    return items
