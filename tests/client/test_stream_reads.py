"""Events come out grouped by what had already arrived together, and never wait for more.

``ResponseStream.batches()`` hands out lists of the events that were received together (the
chat model turns each list into as few chunks as possible). Grouping must never add latency:
an event is held back only while another *complete* event is already in the HTTP parser's
buffer. These tests run on real sockets against the scripted server.
"""

from __future__ import annotations

import asyncio
import threading
import time
import zlib

import pytest

from langchain_responses import AsyncResponsesClient, ResponsesClient
from langchain_responses._wire import events as ev
from tests.client._events import text_events
from tests.support.script import Reply, sse_event
from tests.support.server import ScriptedServer

ARGS = {"model": "gpt-test", "input": "hi"}
PIECES = [f"p{i} " for i in range(40)]


def _texts(batches: list[list[ev.ResponseStreamEvent]]) -> list[str]:
    return [
        event.delta
        for batch in batches
        for event in batch
        if isinstance(event, ev.OutputTextDeltaEvent)
    ]


def test_events_received_while_the_consumer_was_busy_come_out_as_one_read(
    scripted_server: ScriptedServer,
) -> None:
    # One HTTP chunk per event, as OpenAI sends them; they pile up while the consumer sleeps.
    scripted_server.enqueue(Reply.sse(text_events(PIECES)))
    with ResponsesClient(api_key="sk-test", base_url=scripted_server.base_url) as client:
        stream = client.responses.create(**ARGS, stream=True)
        batches = stream.batches()
        first = next(batches)
        time.sleep(0.3)  # the server has sent everything by now
        rest = list(batches)
    assert len(rest) == 1
    assert _texts([first, *rest]) == PIECES
    assert stream.get_final_response().output_text == "".join(PIECES)


async def test_async_events_received_together_come_out_as_one_read(
    scripted_server: ScriptedServer,
) -> None:
    scripted_server.enqueue(Reply.sse(text_events(PIECES)))
    async with AsyncResponsesClient(api_key="sk-test", base_url=scripted_server.base_url) as client:
        stream = await client.responses.create(**ARGS, stream=True)
        batches = stream.batches()
        first = await anext(batches)
        await asyncio.sleep(0.3)
        rest = [batch async for batch in batches]
    assert len(rest) == 1
    assert _texts([first, *rest]) == PIECES


def test_paced_events_come_out_one_read_each(scripted_server: ScriptedServer) -> None:
    events = text_events(["a", "b", "c"])
    scripted_server.enqueue(Reply.sse(events, delays=0.05))
    with ResponsesClient(api_key="sk-test", base_url=scripted_server.base_url) as client:
        batches = list(client.responses.create(**ARGS, stream=True).batches())
    assert [len(batch) for batch in batches] == [1] * len(events)


@pytest.mark.parametrize(
    "tail",
    [
        pytest.param([], id="silence"),
        pytest.param([b": keep-alive\n\n"], id="a-comment-then-silence"),
        pytest.param([b"event: response.output_text.delta\ndata: {"], id="half-an-event"),
    ],
)
def test_events_already_received_are_handed_out_while_the_server_is_silent(
    scripted_server: ScriptedServer, tail: list[bytes]
) -> None:
    # Everything up to the second delta arrives; then the server goes quiet for good. The
    # consumer must get those events now, not when more data (or the timeout) comes.
    events = text_events(["first", "second", "never"])
    sent = [sse_event(event) for event in events[:6]] + tail
    assert _first_two_deltas_then_silence(scripted_server, sent) == ["first", "second"]


def test_reads_parse_events_as_taken_and_apply_what_is_left(
    scripted_server: ScriptedServer,
) -> None:
    # `reads()` is `batches()` without the lists: a read's events are parsed as they are
    # taken. Events left in a read still reach the response, though they are not handed out.
    scripted_server.enqueue(Reply.sse(text_events(PIECES)))
    with ResponsesClient(api_key="sk-test", base_url=scripted_server.base_url) as client:
        stream = client.responses.create(**ARGS, stream=True)
        reads = stream.reads()
        first = next(reads)
        time.sleep(0.3)  # the server has sent everything by now
        taken = [next(first)]
        taken += [event for read in reads if (event := next(read, None)) is not None]
        final = stream.get_final_response()
    assert isinstance(taken[0], ev.ResponseCreatedEvent)
    assert len(taken) < len(PIECES)
    assert final.output_text == "".join(PIECES)


async def test_async_reads_parse_events_as_taken(scripted_server: ScriptedServer) -> None:
    scripted_server.enqueue(Reply.sse(text_events(PIECES)))
    async with AsyncResponsesClient(api_key="sk-test", base_url=scripted_server.base_url) as client:
        stream = await client.responses.create(**ARGS, stream=True)
        texts = [
            event.delta
            async for read in stream.reads()
            for event in read
            if isinstance(event, ev.OutputTextDeltaEvent)
        ]
        final = await stream.get_final_response()
    assert texts == PIECES
    assert final.output_text == "".join(PIECES)


def test_a_compressed_stream_is_not_peeked_into_and_still_flows(
    scripted_server: ScriptedServer,
) -> None:
    # gzip bytes don't show where events end: no grouping, and nothing may be held back.
    compressor = zlib.compressobj(wbits=31)  # gzip framing
    events = text_events(["zip", "ped", "never"])
    sent = [
        compressor.compress(sse_event(event)) + compressor.flush(zlib.Z_SYNC_FLUSH)
        for event in events[:6]
    ]
    gzip = {"content-encoding": "gzip"}
    assert _first_two_deltas_then_silence(scripted_server, sent, gzip) == ["zip", "ped"]


def _first_two_deltas_then_silence(
    server: ScriptedServer, sent: list[bytes], headers: dict[str, str] | None = None
) -> list[str]:
    """Send ``sent`` and then nothing; the first two text deltas must arrive within 2 s."""
    server.enqueue(
        Reply(
            headers={"content-type": "text/event-stream", **(headers or {})},
            chunks=sent,
            stall_after_chunks=len(sent),
        )
    )
    received: list[str] = []
    got_both = threading.Event()

    def consume() -> None:
        with ResponsesClient(api_key="sk-test", base_url=server.base_url, timeout=5) as client:
            stream = client.responses.create(**ARGS, stream=True)
            for batch in stream.batches():
                received.extend(_texts([batch]))
                if len(received) == 2:
                    got_both.set()
                    stream.close()
                    return

    worker = threading.Thread(target=consume, daemon=True)
    worker.start()
    assert got_both.wait(2), f"events already received were held back: got {received}"
    worker.join(5)
    return received
