"""Builders of realistic Responses API bodies and stream events for scripted servers."""

from __future__ import annotations

from typing import Any

MODEL = "gpt-test"


def response_json(
    response_id: str = "resp_1",
    *,
    status: str = "completed",
    text: str | None = "Hello!",
    background: bool = False,
    **extra: Any,
) -> dict[str, Any]:
    """A ``Response`` body, with one assistant message when ``text`` is given."""
    output = [message_item(text)] if text is not None else []
    body: dict[str, Any] = {
        "id": response_id,
        "object": "response",
        "created_at": 1_700_000_000,
        "status": status,
        "background": background,
        "model": MODEL,
        "output": output,
        "usage": {
            "input_tokens": 5,
            "input_tokens_details": {"cached_tokens": 0},
            "output_tokens": 3,
            "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": 8,
        }
        if status == "completed"
        else None,
    }
    body.update(extra)
    return body


def message_item(text: str, item_id: str = "msg_1", status: str = "completed") -> dict[str, Any]:
    return {
        "id": item_id,
        "type": "message",
        "role": "assistant",
        "status": status,
        "content": [{"type": "output_text", "text": text, "annotations": []}],
    }


def text_events(
    pieces: list[str],
    *,
    response_id: str = "resp_1",
    background: bool = False,
    terminal: str | None = "response.completed",
) -> list[dict[str, Any]]:
    """A typical text-only stream (wire reference §6.2), numbered from 0."""
    text = "".join(pieces)
    started = response_json(response_id, status="in_progress", text=None, background=background)
    events: list[dict[str, Any]] = [
        {"type": "response.created", "response": started},
        {"type": "response.in_progress", "response": started},
        {
            "type": "response.output_item.added",
            "output_index": 0,
            "item": {**message_item("", status="in_progress"), "content": []},
        },
        {
            "type": "response.content_part.added",
            "output_index": 0,
            "content_index": 0,
            "item_id": "msg_1",
            "part": {"type": "output_text", "text": "", "annotations": []},
        },
    ]
    events += [
        {
            "type": "response.output_text.delta",
            "output_index": 0,
            "content_index": 0,
            "item_id": "msg_1",
            "delta": piece,
            "logprobs": [],
        }
        for piece in pieces
    ]
    events += [
        {
            "type": "response.output_text.done",
            "output_index": 0,
            "content_index": 0,
            "item_id": "msg_1",
            "text": text,
            "logprobs": [],
        },
        {
            "type": "response.content_part.done",
            "output_index": 0,
            "content_index": 0,
            "item_id": "msg_1",
            "part": {"type": "output_text", "text": text, "annotations": []},
        },
        {"type": "response.output_item.done", "output_index": 0, "item": message_item(text)},
    ]
    if terminal is not None:
        status = terminal.removeprefix("response.")
        final = response_json(response_id, status=status, text=text, background=background)
        events.append({"type": terminal, "response": final})
    return [{**event, "sequence_number": number} for number, event in enumerate(events)]
