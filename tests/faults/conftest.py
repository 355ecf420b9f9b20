"""Helpers for the fault matrix: responses and event streams the scripted server plays."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

from langchain_responses.chat_model import ChatResponses
from tests.support.server import Reply, ScriptedServer

API_KEY = "sk-live-SECRET-9f8e7d6c5b4a"
_ids = itertools.count(1)


def response_json(
    text: str = "Hello there", *, status: str = "completed", **extra: Any
) -> dict[str, Any]:
    rid = extra.pop("id", f"resp_{next(_ids):04d}")
    return {
        "id": rid,
        "object": "response",
        "created_at": 1_700_000_000,
        "status": status,
        "model": "gpt-5.4",
        "output": [
            {
                "type": "message",
                "id": f"msg_{rid}",
                "role": "assistant",
                "status": "completed",
                "content": [{"type": "output_text", "text": text, "annotations": []}],
            }
        ],
        "usage": {
            "input_tokens": 7,
            "input_tokens_details": {"cached_tokens": 0},
            "output_tokens": 3,
            "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": 10,
        },
        **extra,
    }


def text_events(
    pieces: list[str], *, rid: str = "resp_stream", background: bool = False
) -> list[dict[str, Any]]:
    """A realistic text stream (with sequence numbers) ending in response.completed."""
    text = "".join(pieces)
    final = response_json(text, id=rid, background=background)
    item = final["output"][0]
    started = {**final, "status": "in_progress", "output": [], "usage": None}
    events: list[dict[str, Any]] = [
        {"type": "response.created", "response": started},
        {"type": "response.in_progress", "response": started},
        {
            "type": "response.output_item.added",
            "output_index": 0,
            "item": {**item, "status": "in_progress", "content": []},
        },
        {
            "type": "response.content_part.added",
            "output_index": 0,
            "content_index": 0,
            "item_id": item["id"],
            "part": {"type": "output_text", "text": "", "annotations": []},
        },
    ]
    events += [
        {
            "type": "response.output_text.delta",
            "output_index": 0,
            "content_index": 0,
            "item_id": item["id"],
            "delta": piece,
            "logprobs": [],
        }
        for piece in pieces
    ]
    events += [
        {"type": "response.output_item.done", "output_index": 0, "item": item},
        {"type": "response.completed", "response": final},
    ]
    return [{**event, "sequence_number": n} for n, event in enumerate(events)]


def sse(events: list[dict[str, Any]], **options: Any) -> Reply:
    return Reply.sse(events, **options)


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as srv:
        yield srv


@pytest.fixture
async def make_model() -> AsyncIterator[Callable[..., ChatResponses]]:
    """Models pointed at a server; their connection pools are closed afterwards."""
    made: list[ChatResponses] = []

    def make(server: ScriptedServer, **fields: Any) -> ChatResponses:
        model = ChatResponses(model="gpt-5.4", base_url=server.base_url, api_key=API_KEY, **fields)
        made.append(model)
        return model

    yield make
    for model in made:
        await model.aclose()
