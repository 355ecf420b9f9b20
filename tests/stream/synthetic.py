"""Hand-made Responses streams for the cases no recording has (test support)."""

from __future__ import annotations

from typing import Any

from tests.support.script import sse_body

Json = dict[str, Any]

RESPONSE: Json = {
    "id": "resp_synthetic",
    "object": "response",
    "status": "in_progress",
    "model": "gpt-4.1",
    "output": [],
}
USAGE: Json = {
    "input_tokens": 11,
    "input_tokens_details": {"cached_tokens": 4},
    "output_tokens": 7,
    "output_tokens_details": {"reasoning_tokens": 0},
    "total_tokens": 18,
}


def message_item(text: str, status: str = "completed", item_id: str = "msg_1") -> Json:
    part = {"type": "output_text", "text": text, "annotations": [], "logprobs": []}
    return {
        "type": "message",
        "id": item_id,
        "role": "assistant",
        "status": status,
        "content": [part],
    }


def text_events(deltas: list[str], output_index: int = 0, item_id: str = "msg_1") -> list[Json]:
    """Events of one assistant message streamed in ``deltas`` (without lifecycle events)."""
    text = "".join(deltas)
    where = {"output_index": output_index, "item_id": item_id}
    added = {**message_item("", "in_progress", item_id), "content": []}
    events: list[Json] = [
        {"type": "response.output_item.added", "output_index": output_index, "item": added},
        {
            "type": "response.content_part.added",
            **where,
            "content_index": 0,
            "part": {"type": "output_text", "text": "", "annotations": []},
        },
    ]
    events += [
        {
            "type": "response.output_text.delta",
            **where,
            "content_index": 0,
            "delta": delta,
            "logprobs": [],
        }
        for delta in deltas
    ]
    events += [
        {
            "type": "response.output_text.done",
            **where,
            "content_index": 0,
            "text": text,
            "logprobs": [],
        },
        {
            "type": "response.output_item.done",
            "output_index": output_index,
            "item": message_item(text, item_id=item_id),
        },
    ]
    return events


def created() -> Json:
    return {"type": "response.created", "response": RESPONSE}


def terminal(kind: str, output: list[Json], **fields: Any) -> Json:
    status = {"completed": "completed", "incomplete": "incomplete", "failed": "failed"}[kind]
    response = {**RESPONSE, "status": status, "output": output, "usage": USAGE, **fields}
    return {"type": f"response.{kind}", "response": response}


def body(events: list[Json]) -> list[bytes]:
    """One SSE chunk per event, sequence numbers added."""
    return sse_body(events, sequence_numbers=True)


def text_stream(deltas: list[str]) -> list[bytes]:
    """A complete, successful text stream."""
    item = message_item("".join(deltas))
    return body([created(), *text_events(deltas), terminal("completed", [item])])
