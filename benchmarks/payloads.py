"""Precomputed Responses API bodies: SSE streams (text / function-call arguments) and a small JSON.

The events follow what api.openai.com sends today: an ``event:`` line plus a ``data:`` line per
event, ``sequence_number`` on every event, an ``obfuscation`` padding string on deltas, the full
response object on ``response.created`` / ``response.in_progress`` / ``response.completed``.
"""

from __future__ import annotations

import json
from typing import Any

MODEL = "gpt-4.1-mini-2025-04-14"
RESPONSE_ID = "resp_68c1f0a0b2d48190a1b2c3d4e5f60718"
MESSAGE_ID = "msg_68c1f0a1c3e48190b2c3d4e5f6071829"
CALL_ITEM_ID = "fc_68c1f0a1c3e48190b2c3d4e5f607182a"
CALL_ID = "call_Xk2mP9qL4rT7vW1yZ3aB5cD8"
CREATED_AT = 1757540000

_WORDS = (
    " the", " quick", " brown", " fox", " jumps", " over", " a", " lazy", " dog", ",",
    " and", " then", " it", " writes", " some", " more", " tokens", ".", " Stream", "ing",
)  # fmt: skip


def token(i: int) -> str:
    """The i-th text delta (deterministic, no JSON escaping needed)."""
    return _WORDS[i % len(_WORDS)]


def expected_text(n: int) -> str:
    """The text that ``n`` text deltas add up to."""
    return "".join(token(i) for i in range(n))


def _obfuscation(i: int) -> str:
    return "abcdefghijklmnop"[: 4 + i % 9]


def _usage(output_tokens: int) -> dict[str, Any]:
    return {
        "input_tokens": 37,
        "input_tokens_details": {"cached_tokens": 0},
        "output_tokens": output_tokens,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": 37 + output_tokens,
    }


def response_object(
    status: str, output: list[dict[str, Any]], usage: dict[str, Any] | None
) -> dict[str, Any]:
    """A full Response object, with every field the real API returns."""
    return {
        "id": RESPONSE_ID,
        "object": "response",
        "created_at": CREATED_AT,
        "status": status,
        "background": False,
        "error": None,
        "incomplete_details": None,
        "instructions": None,
        "max_output_tokens": None,
        "max_tool_calls": None,
        "model": MODEL,
        "output": output,
        "parallel_tool_calls": True,
        "previous_response_id": None,
        "prompt_cache_key": None,
        "reasoning": {"effort": None, "summary": None},
        "safety_identifier": None,
        "service_tier": "default",
        "store": True,
        "temperature": 1.0,
        "text": {"format": {"type": "text"}, "verbosity": "medium"},
        "tool_choice": "auto",
        "tools": [],
        "top_logprobs": 0,
        "top_p": 1.0,
        "truncation": "disabled",
        "usage": usage,
        "user": None,
        "metadata": {},
    }


def _message_item(status: str, text: str | None) -> dict[str, Any]:
    content = (
        []
        if text is None
        else [{"type": "output_text", "annotations": [], "logprobs": [], "text": text}]
    )
    return {
        "id": MESSAGE_ID,
        "type": "message",
        "status": status,
        "content": content,
        "role": "assistant",
    }


def _call_item(status: str, arguments: str) -> dict[str, Any]:
    return {
        "id": CALL_ITEM_ID,
        "type": "function_call",
        "status": status,
        "arguments": arguments,
        "call_id": CALL_ID,
        "name": "record_text",
    }


def _frame(event: dict[str, Any]) -> bytes:
    data = json.dumps(event, separators=(",", ":"))
    return f"event: {event['type']}\ndata: {data}\n\n".encode()


def text_events(n: int) -> list[bytes]:
    """A text answer streamed as ``n`` ``response.output_text.delta`` events."""
    text = expected_text(n)
    out: list[dict[str, Any]] = []
    seq = iter(range(1_000_000_000))
    out.append(
        {
            "type": "response.created",
            "sequence_number": next(seq),
            "response": response_object("in_progress", [], None),
        }
    )
    out.append(
        {
            "type": "response.in_progress",
            "sequence_number": next(seq),
            "response": response_object("in_progress", [], None),
        }
    )
    out.append(
        {
            "type": "response.output_item.added",
            "sequence_number": next(seq),
            "output_index": 0,
            "item": _message_item("in_progress", None),
        }
    )
    empty_part = {"type": "output_text", "annotations": [], "logprobs": [], "text": ""}
    out.append(
        {
            "type": "response.content_part.added",
            "sequence_number": next(seq),
            "item_id": MESSAGE_ID,
            "output_index": 0,
            "content_index": 0,
            "part": empty_part,
        }
    )
    for i in range(n):
        out.append(
            {
                "type": "response.output_text.delta",
                "sequence_number": next(seq),
                "item_id": MESSAGE_ID,
                "output_index": 0,
                "content_index": 0,
                "delta": token(i),
                "logprobs": [],
                "obfuscation": _obfuscation(i),
            }
        )
    out.append(
        {
            "type": "response.output_text.done",
            "sequence_number": next(seq),
            "item_id": MESSAGE_ID,
            "output_index": 0,
            "content_index": 0,
            "text": text,
            "logprobs": [],
        }
    )
    out.append(
        {
            "type": "response.content_part.done",
            "sequence_number": next(seq),
            "item_id": MESSAGE_ID,
            "output_index": 0,
            "content_index": 0,
            "part": {**empty_part, "text": text},
        }
    )
    done_item = _message_item("completed", text)
    out.append(
        {
            "type": "response.output_item.done",
            "sequence_number": next(seq),
            "output_index": 0,
            "item": done_item,
        }
    )
    out.append(
        {
            "type": "response.completed",
            "sequence_number": next(seq),
            "response": response_object("completed", [done_item], _usage(n)),
        }
    )
    return [_frame(e) for e in out]


def call_arguments(n: int) -> list[str]:
    """``n`` argument deltas that add up to the JSON ``{"text": "..."}``."""
    if n < 3:
        raise ValueError("a function-call stream needs at least 3 deltas")
    return ['{"text":"', *(token(i) for i in range(n - 2)), '"}']


def call_events(n: int) -> list[bytes]:
    """A function call whose arguments stream as ``n`` argument deltas."""
    deltas = call_arguments(n)
    arguments = "".join(deltas)
    out: list[dict[str, Any]] = []
    seq = iter(range(1_000_000_000))
    for kind in ("response.created", "response.in_progress"):
        out.append(
            {
                "type": kind,
                "sequence_number": next(seq),
                "response": response_object("in_progress", [], None),
            }
        )
    out.append(
        {
            "type": "response.output_item.added",
            "sequence_number": next(seq),
            "output_index": 0,
            "item": _call_item("in_progress", ""),
        }
    )
    for i, delta in enumerate(deltas):
        out.append(
            {
                "type": "response.function_call_arguments.delta",
                "sequence_number": next(seq),
                "item_id": CALL_ITEM_ID,
                "output_index": 0,
                "delta": delta,
                "obfuscation": _obfuscation(i),
            }
        )
    out.append(
        {
            "type": "response.function_call_arguments.done",
            "sequence_number": next(seq),
            "item_id": CALL_ITEM_ID,
            "output_index": 0,
            "arguments": arguments,
        }
    )
    done_item = _call_item("completed", arguments)
    out.append(
        {
            "type": "response.output_item.done",
            "sequence_number": next(seq),
            "output_index": 0,
            "item": done_item,
        }
    )
    out.append(
        {
            "type": "response.completed",
            "sequence_number": next(seq),
            "response": response_object("completed", [done_item], _usage(n)),
        }
    )
    return [_frame(e) for e in out]


SMALL_TEXT = "Hello! How can I help you today?"


def small_response() -> bytes:
    """The JSON body of a small non-streamed answer."""
    body = response_object("completed", [_message_item("completed", SMALL_TEXT)], _usage(9))
    return json.dumps(body, separators=(",", ":")).encode()


EVENTS = {"text": text_events, "fc": call_events}
