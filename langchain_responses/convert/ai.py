"""An ``AIMessage`` -> the output items it came from, ready to send back (pure).

Blocks made by ``convert.output`` are raw items and go back unchanged (LangChain's merge
``index`` keys removed); text and refusal blocks are regrouped into their assistant message;
blocks in LangChain's standard format (``output_version="v1"``) go back as the items they
came from where they can (reasoning, citations, client calls), and other ``tool_call`` blocks and
hand-made ``tool_calls`` become ``function_call`` items. Arguments edited in ``tool_calls`` win
over the raw item's.
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
    {
        "image",
        "audio",
        "video",
        "file",
        "tool_call_chunk",
        "server_tool_call",
        "server_tool_result",
        # Anthropic-format blocks (e.g. history from another model): the call itself is in
        # `tool_calls`; sent as items they were rejected, and a `tool_use` id hid its call.
        "tool_use",
        "thinking",
        "redacted_thinking",
    }
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
    part["annotations"] = [_annotation(a) for a in block.get("annotations") or []]
    part["logprobs"] = list(block.get("logprobs") or [])
    return part


def _annotation(annotation: Mapping[str, Any]) -> JsonObject:
    """An annotation as the API takes it (standard ``citation`` blocks turned back)."""
    kind = annotation.get("type")
    if kind == "non_standard_annotation" and isinstance(annotation.get("value"), Mapping):
        return dict(annotation["value"])
    if kind != "citation":
        return dict(annotation)
    extras = dict(annotation.get("extras") or {})
    if "url" in annotation:
        fields = ("url", "title", "start_index", "end_index")
        return {"type": "url_citation", **{k: annotation[k] for k in fields if k in annotation}}
    return {"type": "file_citation", "filename": annotation.get("title"), **extras}


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


def _tool_call_item(block: Mapping[str, Any]) -> JsonObject:
    """A standard ``tool_call`` block: the raw client call convert.blocks keeps, or a function."""
    raw = (block.get("extras") or {}).get("item")
    return _clean(raw) if isinstance(raw, Mapping) else _function_call(block)  # type: ignore[arg-type]


def _block_item(block: Mapping[str, Any], keep_reasoning: bool) -> JsonObject | None:
    kind = block.get("type")
    if kind == "tool_call":
        return _tool_call_item(block)
    if kind == "non_standard" and isinstance(block.get("value"), Mapping):
        return _clean(block["value"])
    if kind in _SKIPPED:
        return None
    if kind == "reasoning":
        if not keep_reasoning and not block.get("encrypted_content"):
            return None
        return _clean(block) if "summary" in block else _standard_reasoning(block)
    return _clean(block)


def _standard_reasoning(block: Mapping[str, Any]) -> JsonObject | None:
    """A standard reasoning block back as our reasoning item (one summary part per block).

    Only blocks that came from this API (an ``rs_`` id or encrypted content) can be replayed;
    reasoning text from another provider cannot.
    """
    rid = block.get("id")
    if not (isinstance(rid, str) and rid.startswith("rs_")) and not block.get("encrypted_content"):
        return None
    text = block.get("reasoning")
    item: JsonObject = {"type": "reasoning", "id": rid, "summary": []}
    if text:
        item["summary"] = [{"type": "summary_text", "text": text}]
    if block.get("encrypted_content"):
        item["encrypted_content"] = block["encrypted_content"]
    return item


def _merge_reasoning(items: list[JsonObject]) -> list[JsonObject]:
    """Consecutive reasoning items with one id (standard blocks split the summary) -> one."""
    out: list[JsonObject] = []
    for item in items:
        last = out[-1] if out else {}
        if item.get("type") == last.get("type") == "reasoning" and item.get("id") == last.get("id"):
            summary = [*last.get("summary", []), *item.get("summary", [])]
            out[-1] = {**last, **item, "summary": summary}
        else:
            out.append(item)
    return out


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
        content = _merge_reasoning(list(_content_items(message, keep_reasoning)))
        items = [_with_edited_args(item, calls) for item in content]
    answered = {item.get("call_id") for item in items} | {item.get("id") for item in items}
    items.extend(
        _function_call(call) for call in message.tool_calls if call.get("id") not in answered
    )
    return items
