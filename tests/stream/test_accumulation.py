"""The bookkeeping behind streamed deltas: the accumulated response and the streamed blocks.

Both keep a delta stream's pieces in a list found once per target (not per delta); reading the
response between deltas, interleaved parts and deltas without a target must not disturb that.
"""

from __future__ import annotations

import itertools
from typing import Any

from langchain_responses._http.sse import SSEDecoder
from langchain_responses.stream.blocks import SentBlock, merge_blocks
from langchain_responses.stream.state import ResponseStreamState
from tests.stream import synthetic as syn

Json = dict[str, Any]


def _state(events: list[Json]) -> tuple[ResponseStreamState, list[str]]:
    """Feed the events; the output text read after each of them."""
    decoder, state = SSEDecoder(), ResponseStreamState()
    seen: list[str] = []
    for chunk in syn.body(events):
        for sse in decoder.feed(chunk):
            state.feed(sse)
            seen.append(state.response.output_text if state.response else "")
    return state, seen


def _part_delta(content_index: int, delta: str) -> Json:
    return {
        "type": "response.output_text.delta",
        "output_index": 0,
        "item_id": "msg_1",
        "content_index": content_index,
        "delta": delta,
    }


def test_reading_the_response_between_deltas_sees_every_delta_so_far() -> None:
    deltas = ["a", "b", "c", "d"]
    events = [syn.created(), *syn.text_events(deltas)[:-2]]  # no `*.done`: deltas only
    _, seen = _state(events)
    assert seen[-len(deltas) :] == ["a", "ab", "abc", "abcd"]


def test_interleaved_parts_get_their_own_deltas() -> None:
    events = [syn.created(), *syn.text_events([])[:2]]  # the message and its first part
    second = {**events[-1], "content_index": 1}
    deltas = [_part_delta(k % 2, f"{k}") for k in range(6)]
    state, _ = _state([*events, second, *deltas])
    assert state.response is not None
    parts = state.response.output[0].content
    assert isinstance(parts, list)
    assert [getattr(part, "text", None) for part in parts] == ["024", "135"]


def test_deltas_without_a_part_are_dropped_until_the_part_arrives() -> None:
    events = [syn.created(), *syn.text_events([])[:1]]  # the message, no part yet
    part = syn.text_events([])[1]
    state, _ = _state([*events, _part_delta(0, "lost"), part, _part_delta(0, "kept")])
    assert state.response is not None
    assert state.response.output_text == "kept"


def test_sent_block_pieces_merge_like_every_piece_added() -> None:
    head = {"type": "function_call", "name": "f", "arguments": "", "index": 3}
    deltas = [{"type": "function_call", "arguments": d, "index": 3} for d in ['{"a"', ": ", "1}"]]
    added = SentBlock()
    for block in [head, *deltas]:
        added.add(block)
    grown = SentBlock()
    grown.add(head)
    grown.add(deltas[0])
    pieces = grown.pieces("arguments")
    pieces.extend(d["arguments"] for d in deltas[1:])
    expected = {"type": "function_call", "name": "f", "arguments": '{"a": 1}', "index": 3}
    assert added.merged() == grown.merged() == merge_blocks([head, *deltas]) == expected


def test_merge_blocks_keeps_first_values_and_merges_indexed_lists() -> None:
    blocks: list[Json] = [
        {"type": "reasoning", "id": None, "index": 0},
        {"id": "rs_1", "summary": [{"type": "summary_text", "text": "a", "index": 0}]},
        {"summary": [{"text": "b", "index": 0}, {"text": "c", "index": 1}], "type": "x"},
    ]
    merged = merge_blocks(blocks)
    assert merged == {
        "type": "reasoning",
        "id": "rs_1",
        "index": 0,
        "summary": [{"type": "summary_text", "text": "ab", "index": 0}, {"text": "c", "index": 1}],
    }
    # Any split into two halves merges the same (what the incremental record relies on).
    for cut in range(len(blocks) + 1):
        sent = SentBlock()
        for block in itertools.chain(blocks[:cut], blocks[cut:]):
            sent.add(block)
        assert sent.merged() == merged
