"""Every recording replayed over a real loopback server through the client (sync and async),
and every recorded SSE body fed straight into :class:`ResponseStreamState`.

The recordings are ground truth: JSON bodies must parse (and round-trip), errors must map to
the right class, and a stream's accumulated final response must equal its terminal event's.
"""

from __future__ import annotations

import json
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pytest

from langchain_responses import errors
from langchain_responses._http.sse import ServerSentEvent, SSEDecoder
from langchain_responses._wire import events as ev
from langchain_responses._wire.response import CompactedResponse, Response
from langchain_responses.stream.state import ResponseStreamState
from tests.client._twin import Twin
from tests.client.conftest import MakeTwin
from tests.support.recordings import Interaction, Recording, load_recordings, replay_replies
from tests.support.server import RecordedRequest, ScriptedServer

pytestmark = pytest.mark.timeout(60)

RECORDINGS = load_recordings()
STREAMED = [r for r in RECORDINGS if any(i.response.is_stream for i in r.interactions)]
NOT_STREAMED = [r for r in RECORDINGS if r not in STREAMED]
TERMINAL_TYPES = {"response.completed", "response.incomplete", "response.failed"}


# --------------------------------------------------------------------------- expectations


def raw_events(body: str) -> list[dict[str, Any]]:
    decoder = SSEDecoder()
    sses = decoder.feed(body.encode()) + decoder.flush()
    return [json.loads(s.data) for s in sses if not s.data.startswith("[DONE]")]


def terminal_response(body: str) -> dict[str, Any]:
    terminals = [e for e in raw_events(body) if e.get("type") in TERMINAL_TYPES]
    assert len(terminals) == 1, "a recorded stream has exactly one terminal event"
    response: dict[str, Any] = terminals[0]["response"]
    return response


def expected_error(status: int, body: Any) -> type[errors.APIStatusError]:
    code = body.get("error", {}).get("code") if isinstance(body, dict) else None
    if status == 401:
        return errors.AuthenticationError
    if status == 400 and code == "model_not_found":
        return errors.ModelNotFoundError
    if status == 400 and code in errors.CONTEXT_OVERFLOW_CODES:
        return errors.ContextOverflowError
    assert status == 400, f"no expectation for status {status}"
    return errors.BadRequestError


# --------------------------------------------------------------------------- driving the client


@dataclass
class Outcome:
    """What the client made of one recorded interaction."""

    result: Any = None
    error: BaseException | None = None
    events: list[Any] | None = None
    stream: Any = None


ENDPOINTS = {
    "/v1/responses": "responses.create",
    "/v1/responses/compact": "responses.compact",
    "/v1/responses/input_tokens": "responses.input_tokens.count",
}


async def send(twin: Twin, interaction: Interaction) -> Outcome:
    """Make the call the recording client made, through our client."""
    request = interaction.request
    try:
        if request.method == "POST":
            return await _post(twin, ENDPOINTS[request.path], dict(request.body or {}))
        assert request.method == "GET", request
        return await _get(twin, request.path.rsplit("/", 1)[1], request.query)
    except errors.ResponsesError as exc:
        return Outcome(error=exc)


async def _post(twin: Twin, dotted: str, body: dict[str, Any]) -> Outcome:
    if body.pop("stream", False):
        return await _consume(twin, await twin.call(dotted, stream=True, **body))
    return Outcome(await twin.call(dotted, **body))


async def _get(twin: Twin, response_id: str, query: Mapping[str, Any]) -> Outcome:
    if query.get("stream") != "true":
        return Outcome(await twin.call("responses.retrieve", response_id))
    after = query.get("starting_after")
    stream = await twin.call(
        "responses.retrieve",
        response_id,
        stream=True,
        starting_after=None if after is None else int(str(after)),
    )
    return await _consume(twin, stream)


async def _consume(twin: Twin, stream: Any) -> Outcome:
    events, error = await twin.consume(stream)
    return Outcome(events=events, stream=stream, error=error)


def check_request(sent: RecordedRequest, interaction: Interaction) -> None:
    """We sent what the recording client sent (volatile parts aside)."""
    recorded = interaction.request
    assert (sent.method, sent.path) == (recorded.method, recorded.path)
    if recorded.body is not None:
        expected = {k: v for k, v in recorded.body.items() if (k, v) != ("stream", False)}
        assert sent.json == expected
    if recorded.query.get("stream") == "true":
        assert sent.query == dict(recorded.query)


def check_outcome(outcome: Outcome, interaction: Interaction) -> None:
    response = interaction.response
    path = interaction.request.path
    if response.status >= 400:
        cls = expected_error(response.status, response.body_json)
        assert type(outcome.error) is cls, outcome.error
        detail = response.body_json["error"]
        assert outcome.error.message == detail["message"]
        assert outcome.error.code == detail["code"]
        assert outcome.error.param == detail["param"]
        return
    assert outcome.error is None, outcome.error
    if response.body_sse is not None:
        check_stream(outcome, response.body_sse)
    elif path.endswith("/input_tokens"):
        assert outcome.result == response.body_json["input_tokens"]
    elif path.endswith("/compact"):
        assert isinstance(outcome.result, CompactedResponse)
        assert outcome.result.to_dict() == response.body_json
    else:
        assert isinstance(outcome.result, Response)
        assert outcome.result.to_dict() == response.body_json


def check_stream(outcome: Outcome, body: str) -> None:
    expected = raw_events(body)
    events = outcome.events or []
    assert [e.type for e in events] == [e["type"] for e in expected]
    assert not [e for e in events if isinstance(e, ev.UnknownEvent)]
    final = outcome.stream.response
    assert final is not None
    assert final.to_dict() == terminal_response(body)
    assert outcome.stream.output_text == final.output_text


async def replay_recording(
    twin: Twin, server: ScriptedServer, recording: Recording, *, pieces: int = 4
) -> None:
    server.enqueue(*replay_replies(recording, pieces=pieces))
    start = len(server.requests)
    for index, interaction in enumerate(recording.interactions):
        outcome = await send(twin, interaction)
        check_request(server.requests[start + index], interaction)
        check_outcome(outcome, interaction)
    assert len(server.requests) == start + len(recording.interactions)
    assert server.pending == 0


# --------------------------------------------------------------------------- over the socket


def test_the_recordings_cover_what_this_file_claims() -> None:
    statuses = {i.response.status for r in RECORDINGS for i in r.interactions}
    paths = {i.request.path.split("/resp_")[0] for r in RECORDINGS for i in r.interactions}
    assert len(RECORDINGS) == 164
    assert len(STREAMED) == 24
    assert statuses == {200, 400, 401}
    assert paths >= {"/v1/responses", "/v1/responses/compact", "/v1/responses/input_tokens"}


async def test_every_non_streamed_recording(
    scripted_server: ScriptedServer, make_twin: MakeTwin
) -> None:
    # One client and server for all of them keeps this fast; failures name each recording.
    twin = make_twin(max_retries=0)
    failures: list[str] = []
    for recording in NOT_STREAMED:
        try:
            await replay_recording(twin, scripted_server, recording)
        except AssertionError as exc:
            failures.append(f"{recording.name}: {exc}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("recording", STREAMED, ids=lambda r: r.name)
async def test_streamed_recording(
    scripted_server: ScriptedServer, make_twin: MakeTwin, recording: Recording
) -> None:
    twin = make_twin(max_retries=0)
    await replay_recording(twin, scripted_server, recording, pieces=7)


def _smallest_streams(count: int) -> list[Recording]:
    def size(recording: Recording) -> int:
        return sum(len(i.response.body_sse or "") for i in recording.interactions)

    return sorted(STREAMED, key=size)[:count]


@pytest.mark.parametrize("recording", _smallest_streams(3), ids=lambda r: r.name)
async def test_streamed_recording_in_one_byte_pieces(
    scripted_server: ScriptedServer, make_twin: MakeTwin, recording: Recording
) -> None:
    twin = make_twin(max_retries=0)
    body_size = max(len(i.response.body_sse or "") for i in recording.interactions)
    await replay_recording(twin, scripted_server, recording, pieces=body_size)


async def test_streamed_recording_through_the_context_manager(
    scripted_server: ScriptedServer, twin: Twin
) -> None:
    recording = _smallest_streams(1)[0]
    (interaction,) = recording.interactions
    scripted_server.enqueue(*replay_replies(recording))
    body = dict(interaction.request.body)
    body.pop("stream")

    events, final, text = await twin.managed_stream(**body)

    assert final.to_dict() == terminal_response(interaction.response.body_sse)
    assert text == final.output_text
    assert len(events) == len(raw_events(interaction.response.body_sse))


# --------------------------------------------------------------------------- sans-I/O state

SSE_BODIES = [
    (f"{r.name}#{index}", i.response.body_sse)
    for r in STREAMED
    for index, i in enumerate(r.interactions)
    if i.response.body_sse is not None
]


def random_chunks(data: bytes, rng: random.Random) -> list[bytes]:
    chunks, start = [], 0
    while start < len(data):
        size = rng.choice([1, 2, 3, 17, 64, 500, 4096])
        chunks.append(data[start : start + size])
        start += size
    return chunks


def feed_state(chunks: list[bytes]) -> tuple[ResponseStreamState, list[Any], Response | None]:
    """Decode and feed; also return the snapshot just before the terminal event."""
    decoder = SSEDecoder()
    state = ResponseStreamState()
    events: list[Any] = []
    before_terminal: Response | None = None

    def take(sse: ServerSentEvent) -> None:
        nonlocal before_terminal
        is_json = not sse.data.startswith("[DONE]")
        if is_json and json.loads(sse.data).get("type") in TERMINAL_TYPES and state.response:
            before_terminal = state.response.model_copy(deep=True)
        event = state.feed(sse)
        if event is not None:
            events.append(event)

    for chunk in chunks:
        for sse in decoder.feed(chunk):
            take(sse)
    for sse in decoder.flush():
        take(sse)
    state.finish()
    return state, events, before_terminal


def comparable(item: dict[str, Any]) -> dict[str, Any]:
    """Fields the server legitimately changes between the item's events and the terminal."""
    item = {k: v for k, v in item.items() if k != "encrypted_content"}
    if str(item.get("id", "")).startswith("rs_tmp_"):
        item.pop("id")  # OpenRouter's temporary reasoning ids
    return item


@pytest.mark.parametrize(("name", "body"), SSE_BODIES, ids=[n for n, _ in SSE_BODIES])
def test_state_accumulates_every_recorded_stream(name: str, body: str) -> None:
    data = body.encode()
    expected_final = terminal_response(body)
    expected_types = [e["type"] for e in raw_events(body)]
    rng = random.Random(name)

    for chunks in ([data], *(random_chunks(data, rng) for _ in range(3))):
        state, events, before = feed_state(chunks)

        assert state.done
        assert [e.type for e in events] == expected_types
        assert state.response is not None
        assert state.response.to_dict() == expected_final
        assert state.last_sequence == next(
            (e.sequence_number for e in reversed(events) if e.sequence_number is not None), None
        )
        # What the events built up matches the final response (volatile fields aside), for
        # every item the server finished with `output_item.done` (one recording omits some).
        assert before is not None
        assert before.output_text == state.response.output_text
        assert len(before.output) == len(state.response.output)
        done = {e.output_index for e in events if isinstance(e, ev.OutputItemDoneEvent)}
        assert done
        for index in done:
            built, final = before.output[index], state.response.output[index]
            assert comparable(built.to_dict()) == comparable(final.to_dict()), index


@pytest.mark.parametrize(("name", "body"), SSE_BODIES[:6], ids=[n for n, _ in SSE_BODIES[:6]])
def test_state_reports_a_recorded_stream_cut_short(name: str, body: str) -> None:
    lines = body.encode().split(b"\n\n")
    truncated = b"\n\n".join(lines[: len(lines) // 2]) + b"\n\n"

    with pytest.raises(errors.IncompleteStreamError) as caught:
        feed_state([truncated])

    assert caught.value.response is not None
    assert caught.value.response_id == terminal_response(body)["id"]
