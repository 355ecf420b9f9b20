"""The sans-I/O SSE decoder: framing rules, chunk boundaries, recorded bodies, properties."""

from __future__ import annotations

import itertools
import json
import random
import time
from collections.abc import Iterable, Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from langchain_responses._http.sse import ServerSentEvent, SSEDecoder
from langchain_responses.stream.state import ResponseStreamState
from tests.support.recordings import load_recordings


def decode(chunks: Iterable[bytes]) -> list[ServerSentEvent]:
    decoder = SSEDecoder()
    events: list[ServerSentEvent] = []
    for chunk in chunks:
        events.extend(decoder.feed(chunk))
    events.extend(decoder.flush())
    return events


def one_byte(data: bytes) -> list[bytes]:
    return [data[i : i + 1] for i in range(len(data))]


def cut(data: bytes, points: Iterable[int]) -> list[bytes]:
    bounds = sorted({0, len(data), *(p % (len(data) + 1) for p in points)})
    return [data[a:b] for a, b in itertools.pairwise(bounds)]


def random_chunks(data: bytes, rng: random.Random, max_size: int = 64) -> list[bytes]:
    chunks, start = [], 0
    while start < len(data):
        size = rng.randint(1, max_size)
        chunks.append(data[start : start + size])
        start += size
    return chunks


def recorded_sse_bodies() -> list[tuple[str, bytes]]:
    return [
        (f"{recording.name}#{index}", interaction.response.body_sse.encode())
        for recording in load_recordings()
        for index, interaction in enumerate(recording.interactions)
        if interaction.response.body_sse is not None
    ]


SSE_BODIES = recorded_sse_bodies()


# --------------------------------------------------------------------------- line endings


@pytest.mark.parametrize("eol", ["\n", "\r", "\r\n"], ids=["LF", "CR", "CRLF"])
@pytest.mark.parametrize("chunking", ["whole", "bytes"])
def test_line_endings(eol: str, chunking: str) -> None:
    text = eol.join(["event: one", "data: 1", "", "event: two", "data: 2", "", ""])
    data = text.encode()
    chunks = [data] if chunking == "whole" else one_byte(data)

    assert decode(chunks) == [
        ServerSentEvent(data="1", event="one"),
        ServerSentEvent(data="2", event="two"),
    ]


@pytest.mark.parametrize(
    "chunks",
    [
        [b"data: a\r", b"\n\r\n"],
        [b"data: a\r", b"\n", b"\r", b"\n"],
        [b"data: a\r\n\r", b"\n"],
        [b"data: a", b"\r", b"\n", b"\r", b"\n"],
    ],
)
def test_crlf_split_across_chunks_is_one_line_ending(chunks: list[bytes]) -> None:
    assert decode(chunks) == [ServerSentEvent(data="a")]


def test_cr_at_chunk_end_then_more_data_is_a_line_ending() -> None:
    decoder = SSEDecoder()

    assert decoder.feed(b"data: a\r") == []
    assert decoder.feed(b"data: b\r\r") == []
    # The CR that ended the previous chunk is resolved as soon as the next byte arrives.
    assert decoder.feed(b"x") == [ServerSentEvent(data="a\nb")]


def test_mixed_line_endings_in_one_stream() -> None:
    data = b"data: a\r\ndata: b\rdata: c\n\rdata: d\r\n\n"
    assert decode([data]) == [ServerSentEvent(data="a\nb\nc"), ServerSentEvent(data="d")]


def test_events_are_returned_as_soon_as_their_blank_line_arrives() -> None:
    decoder = SSEDecoder()

    assert decoder.feed(b"event: x\ndata: {") == []
    assert decoder.feed(b'"a": 1}\n') == []
    assert decoder.feed(b"\n") == [ServerSentEvent(data='{"a": 1}', event="x")]
    assert decoder.flush() == []


# --------------------------------------------------------------------------- fields


def test_comments_are_ignored() -> None:
    data = b": keep-alive\n\n:another\ndata: x\n: inside an event\n\n:\n\n"
    assert decode([data]) == [ServerSentEvent(data="x")]


def test_comment_only_stream_gives_nothing() -> None:
    assert decode([b": ping\n\n: ping\r\n\r\n"]) == []


def test_multi_line_data_is_joined_with_lf() -> None:
    data = b"data: first\ndata: second\ndata:\ndata:  indented\n\n"
    assert decode([data]) == [ServerSentEvent(data="first\nsecond\n\n indented")]


def test_one_leading_space_is_stripped_from_values() -> None:
    data = b"event:tight\ndata:no-space\n\nevent:  two\ndata:   three\n\n"
    assert decode([data]) == [
        ServerSentEvent(data="no-space", event="tight"),
        ServerSentEvent(data="  three", event=" two"),
    ]


def test_field_without_colon_has_an_empty_value() -> None:
    assert decode([b"data\n\ndata\ndata\n\n"]) == [
        ServerSentEvent(data=""),
        ServerSentEvent(data="\n"),
    ]


def test_value_may_contain_colons() -> None:
    assert decode([b'data: {"a": "b:c"}\n\n']) == [ServerSentEvent(data='{"a": "b:c"}')]


def test_unknown_fields_are_ignored() -> None:
    data = b"foo: bar\nEvent: wrong-case\ndata: x\nDATA: y\n\n"
    assert decode([data]) == [ServerSentEvent(data="x")]


def test_event_without_data_is_not_dispatched() -> None:
    data = b"event: lonely\n\nid: 7\n\ndata: x\n\n"
    # `event:` does not leak into the next event; `id` does (it is the last event id).
    assert decode([data]) == [ServerSentEvent(data="x", id="7")]


def test_events_without_event_line() -> None:
    data = b'data: {"type": "a"}\n\ndata: {"type": "b"}\n\n'
    events = decode([data])
    assert [e.event for e in events] == [None, None]
    assert [json.loads(e.data)["type"] for e in events] == ["a", "b"]


def test_event_name_is_reset_between_events() -> None:
    data = b"event: one\ndata: 1\n\ndata: 2\n\n"
    assert decode([data]) == [ServerSentEvent("1", "one"), ServerSentEvent("2", None)]


def test_id_persists_and_ignores_nul() -> None:
    data = b"id: 1\ndata: a\n\ndata: b\n\nid: 2\x00x\ndata: c\n\nid:\ndata: d\n\n"
    assert [(e.data, e.id) for e in decode([data])] == [
        ("a", "1"),
        ("b", "1"),
        ("c", "1"),
        ("d", ""),
    ]


def test_retry_is_parsed_for_its_own_event_only() -> None:
    data = b"retry: 3000\ndata: a\n\ndata: b\n\nretry: soon\ndata: c\n\nretry: 12\ndata: d\n\n"
    assert [(e.data, e.retry) for e in decode([data])] == [
        ("a", 3000),
        ("b", None),
        ("c", None),
        ("d", 12),
    ]


@pytest.mark.parametrize("value", ["\u00b2", "\u0663", "1.5", "-1", " 5", "5 "])
def test_retry_that_is_not_ascii_digits_is_ignored(value: str) -> None:
    data = f"retry: {value}\ndata: x\n\n".encode()
    assert decode([data]) == [ServerSentEvent(data="x")]


def test_utf8_split_inside_a_character() -> None:
    data = "data: héllo ✓ 🎉\n\n".encode()
    assert decode(one_byte(data)) == [ServerSentEvent(data="héllo ✓ 🎉")]


def test_invalid_utf8_is_replaced_not_raised() -> None:
    assert decode([b"data: \xff\xfe ok\n\n"]) == [ServerSentEvent(data="\ufffd\ufffd ok")]


# --------------------------------------------------------------------------- end of stream


def test_trailing_done_is_an_ordinary_event_for_the_decoder() -> None:
    data = b'data: {"type": "x"}\n\ndata: [DONE]\n\n'
    events = decode([data])

    assert [e.data for e in events] == ['{"type": "x"}', "[DONE]"]
    assert ResponseStreamState().feed(events[1]) is None


@pytest.mark.parametrize(
    "tail",
    [b"data: last\n", b"data: last", b"data: last\r", b"data: last\r\n", b"event: e\ndata: last"],
)
def test_final_event_without_blank_line_is_flushed(tail: bytes) -> None:
    decoder = SSEDecoder()
    first = decoder.feed(b"data: first\n\n" + tail)

    assert first == [ServerSentEvent(data="first")]
    flushed = decoder.flush()
    assert [e.data for e in flushed] == ["last"]
    assert decoder.flush() == []


def test_flush_of_empty_decoder() -> None:
    decoder = SSEDecoder()
    assert decoder.flush() == []
    assert decoder.feed(b"") == []
    assert decoder.flush() == []


def test_flush_does_not_invent_an_event_from_a_partial_field_name() -> None:
    assert decode([b"data: a\n\nevent: half"]) == [ServerSentEvent(data="a")]


def test_empty_chunks_change_nothing() -> None:
    data = b"data: a\r\n\r\n"
    chunks = [b"", data[:8], b"", data[8:], b""]
    assert decode(chunks) == [ServerSentEvent(data="a")]


# --------------------------------------------------------------------------- large events


def test_huge_event_in_small_reads_is_decoded_in_linear_time() -> None:
    payload = json.dumps({"type": "x", "delta": "a" * 12_000_000})
    data = f"event: x\ndata: {payload}\n\n".encode()
    started = time.perf_counter()

    events = decode(data[i : i + 4096] for i in range(0, len(data), 4096))

    elapsed = time.perf_counter() - started
    assert events == [ServerSentEvent(data=payload, event="x")]
    # Re-joining the buffer on every read (quadratic) took > 10 s here; linear takes ~0.1 s.
    assert elapsed < 3.0


# --------------------------------------------------------------------------- recorded bodies


def test_there_are_recorded_sse_bodies() -> None:
    assert len(SSE_BODIES) == 35


@pytest.mark.parametrize(("name", "body"), SSE_BODIES, ids=[name for name, _ in SSE_BODIES])
def test_recorded_body_decodes_identically_however_it_is_chunked(name: str, body: bytes) -> None:
    whole = decode([body])
    rng = random.Random(name)

    assert whole, name
    for event in whole:
        if not event.data.startswith("[DONE]"):
            assert isinstance(json.loads(event.data), dict)
    assert decode(one_byte(body)) == whole
    for max_size in (5, 100, 5000):
        assert decode(random_chunks(body, rng, max_size)) == whole
    # Every line ending rewritten to CRLF or CR decodes the same.
    assert decode(random_chunks(body.replace(b"\n", b"\r\n"), rng, 40)) == whole
    assert decode(random_chunks(body.replace(b"\n", b"\r"), rng, 40)) == whole


# --------------------------------------------------------------------------- properties

_LINE_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"),
    max_size=20,
)


@st.composite
def sse_streams(draw: st.DrawFn) -> tuple[bytes, list[ServerSentEvent]]:
    """A valid SSE stream and the events it must decode to."""
    eol = draw(st.sampled_from(["\n", "\r", "\r\n"]))
    lines: list[str] = []
    expected: list[ServerSentEvent] = []
    last_id: str | None = None
    for _ in range(draw(st.integers(0, 6))):
        if draw(st.booleans()):
            lines.append(":" + draw(_LINE_TEXT))
        name = draw(st.none() | _LINE_TEXT)
        if name is not None:
            lines.append(f"event: {name}")
        new_id = draw(st.none() | _LINE_TEXT.filter(lambda s: "\0" not in s))
        if new_id is not None:
            lines.append(f"id: {new_id}")
            last_id = new_id
        retry = draw(st.none() | st.integers(0, 10**6))
        if retry is not None:
            lines.append(f"retry: {retry}")
        data = draw(st.lists(_LINE_TEXT, min_size=1, max_size=4))
        lines.extend(f"data: {line}" for line in data)
        lines.append("")
        expected.append(ServerSentEvent("\n".join(data), name, last_id, retry))
    if expected and draw(st.booleans()):
        lines.pop()  # the last event loses its blank line: flushed at the end
    text = "".join(line + eol for line in lines)
    if text and draw(st.booleans()):
        text = text.removesuffix(eol)  # and maybe its last line ending too
    return text.encode(), expected


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stream=sse_streams(), points=st.lists(st.integers(0, 10_000), max_size=30))
def test_any_chunking_of_a_valid_stream_gives_the_same_events(
    stream: tuple[bytes, list[ServerSentEvent]], points: Sequence[int]
) -> None:
    data, expected = stream

    assert decode([data]) == expected
    assert decode(cut(data, points)) == expected


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=400), points=st.lists(st.integers(0, 1000), max_size=20))
def test_garbage_never_raises(data: bytes, points: Sequence[int]) -> None:
    events = decode(cut(data, points))

    assert all(isinstance(event, ServerSentEvent) for event in events)
    assert all(isinstance(event.data, str) for event in events)


_SSE_ALPHABET = st.sampled_from(
    [b"data", b"event", b"id", b"retry", b":", b" ", b"\n", b"\r", b"\x00", b"\xff", b"7", b"x"]
)


@settings(max_examples=200, deadline=None)
@given(
    pieces=st.lists(_SSE_ALPHABET, max_size=80),
    points=st.lists(st.integers(0, 1000), max_size=20),
)
def test_sse_like_garbage_decodes_the_same_however_chunked(
    pieces: list[bytes], points: Sequence[int]
) -> None:
    data = b"".join(pieces)
    whole = decode([data])

    assert decode(cut(data, points)) == whole
    assert decode(one_byte(data)) == whole
