"""Retries, error mapping and stream failures against a real loopback HTTP server.

Every test runs with the sync and the async client (see ``_twin.py``).
"""

from __future__ import annotations

import json
import time

import pytest
from langchain_core import exceptions as lc

from langchain_responses import errors
from langchain_responses._wire import events as ev
from langchain_responses._wire.response import Response
from tests.client._events import response_json, text_events
from tests.client._twin import Twin
from tests.client.conftest import MakeTwin
from tests.support.server import Reply, ScriptedServer, sse_event

pytestmark = pytest.mark.timeout(30)

ARGS = {"model": "gpt-test", "input": "hi"}


def gap(server: ScriptedServer, first: int = 0) -> float:
    """Seconds between the arrival of request ``first`` and the next one."""
    requests = server.requests
    return requests[first + 1].arrived_at - requests[first].arrived_at


def assert_same_requests(server: ScriptedServer) -> None:
    """Every retry sends the same method, path and body."""
    first, *others = server.requests
    for other in others:
        assert (other.method, other.path, other.json) == (first.method, first.path, first.json)


# --------------------------------------------------------------------------- retried statuses


async def test_429_waits_for_retry_after_seconds(
    scripted_server: ScriptedServer, twin: Twin
) -> None:
    scripted_server.enqueue(
        Reply.error(429, "slow down", code="rate_limit_exceeded", headers={"Retry-After": "0.3"}),
        Reply(json=response_json()),
    )

    response = await twin.call("responses.create", **ARGS)

    assert isinstance(response, Response)
    assert response.output_text == "Hello!"
    assert len(scripted_server.requests) == 2
    assert gap(scripted_server) >= 0.27
    assert_same_requests(scripted_server)


async def test_retry_after_ms_is_preferred(scripted_server: ScriptedServer, twin: Twin) -> None:
    headers = {"retry-after-ms": "150", "retry-after": "30"}
    scripted_server.enqueue(Reply.error(429, headers=headers), Reply(json=response_json()))
    started = time.monotonic()

    await twin.call("responses.create", **ARGS)

    assert 0.13 <= gap(scripted_server) < 5
    assert time.monotonic() - started < 5


async def test_503_then_success(scripted_server: ScriptedServer, twin: Twin) -> None:
    scripted_server.enqueue(
        Reply.error(503, "overloaded", error_type="server_error", headers={"retry-after-ms": "10"}),
        Reply(json=response_json()),
    )

    response = await twin.call("responses.create", **ARGS)

    assert response.id == "resp_1"
    assert len(scripted_server.requests) == 2
    assert_same_requests(scripted_server)


async def test_backoff_without_server_delay(scripted_server: ScriptedServer, twin: Twin) -> None:
    scripted_server.enqueue(Reply.error(502, "bad gateway"), Reply(json=response_json()))

    await twin.call("responses.create", **ARGS)

    # First retry sleeps 0.375-0.5 s (0.5 s with up to 25 % jitter).
    assert 0.35 <= gap(scripted_server) < 2.0


@pytest.mark.usefixtures("fast_backoff")
@pytest.mark.parametrize("status", [408, 409, 500, 504])
async def test_other_transient_statuses_are_retried(
    scripted_server: ScriptedServer, twin: Twin, status: int
) -> None:
    scripted_server.enqueue(Reply.error(status), Reply(json=response_json()))

    assert (await twin.call("responses.create", **ARGS)).id == "resp_1"
    assert len(scripted_server.requests) == 2


@pytest.mark.usefixtures("fast_backoff")
async def test_500_three_times_gives_up_after_exactly_three_attempts(
    scripted_server: ScriptedServer, make_twin: MakeTwin
) -> None:
    twin = make_twin(max_retries=2)
    scripted_server.enqueue(
        *[Reply.error(500, f"boom {i}", error_type="server_error") for i in range(3)],
        Reply(json=response_json()),
    )

    with pytest.raises(errors.InternalServerError) as caught:
        await twin.call("responses.create", **ARGS)

    assert len(scripted_server.requests) == 3
    assert scripted_server.pending == 1
    assert caught.value.status == 500
    assert caught.value.message == "boom 2"
    assert isinstance(caught.value, lc.ModelAPIError)
    assert_same_requests(scripted_server)


@pytest.mark.usefixtures("fast_backoff")
async def test_max_retries_zero_disables_retries(
    scripted_server: ScriptedServer, make_twin: MakeTwin
) -> None:
    twin = make_twin(max_retries=0)
    scripted_server.enqueue(Reply.error(503), Reply(json=response_json()))

    with pytest.raises(errors.InternalServerError):
        await twin.call("responses.create", **ARGS)
    assert len(scripted_server.requests) == 1


# --------------------------------------------------------------------------- not retried


async def test_400_is_not_retried_and_carries_the_details(
    scripted_server: ScriptedServer, twin: Twin
) -> None:
    scripted_server.enqueue(
        Reply.error(
            400,
            "Invalid value for 'temperature'.",
            code="invalid_value",
            param="temperature",
            headers={"x-request-id": "req_abc123"},
        ),
        Reply(json=response_json()),
    )

    with pytest.raises(errors.BadRequestError) as caught:
        await twin.call("responses.create", **ARGS)

    exc = caught.value
    assert len(scripted_server.requests) == 1
    assert (exc.status, exc.message, exc.code, exc.param) == (
        400,
        "Invalid value for 'temperature'.",
        "invalid_value",
        "temperature",
    )
    assert exc.type == "invalid_request_error"
    assert exc.request_id == "req_abc123"
    assert "req_abc123" in str(exc)
    assert "Invalid value" in str(exc)
    assert exc.body == {
        "error": {
            "message": "Invalid value for 'temperature'.",
            "type": "invalid_request_error",
            "param": "temperature",
            "code": "invalid_value",
        }
    }
    assert isinstance(exc, lc.ModelInvalidRequestError)


@pytest.mark.parametrize(
    ("status", "cls", "lc_cls"),
    [
        (401, errors.AuthenticationError, lc.ModelAuthenticationError),
        (403, errors.PermissionDeniedError, lc.ModelPermissionDeniedError),
        (404, errors.NotFoundError, lc.ModelNotFoundError),
        (422, errors.UnprocessableEntityError, lc.ModelInvalidRequestError),
        (418, errors.APIStatusError, errors.APIError),
    ],
)
async def test_status_is_mapped_to_its_class(
    scripted_server: ScriptedServer,
    twin: Twin,
    status: int,
    cls: type[errors.APIStatusError],
    lc_cls: type[Exception],
) -> None:
    scripted_server.enqueue(Reply.error(status, f"status {status}", headers={"x-request-id": "r"}))

    with pytest.raises(cls) as caught:
        await twin.call("responses.retrieve", "resp_1")

    assert type(caught.value) is cls
    assert isinstance(caught.value, lc_cls)
    assert caught.value.status == status
    assert caught.value.message == f"status {status}"
    assert len(scripted_server.requests) == 1


async def test_non_json_error_body(scripted_server: ScriptedServer, twin: Twin) -> None:
    scripted_server.enqueue(Reply(status=404, body="<html>nope</html>"))

    with pytest.raises(errors.NotFoundError) as caught:
        await twin.call("responses.retrieve", "resp_1")
    assert "nope" in caught.value.message


@pytest.mark.parametrize("code", ["context_length_exceeded", "context_window_exceeded"])
async def test_context_overflow_by_code(
    scripted_server: ScriptedServer, twin: Twin, code: str
) -> None:
    scripted_server.enqueue(Reply.error(400, "Your input exceeds the context window.", code=code))

    with pytest.raises(errors.ContextOverflowError) as caught:
        await twin.call("responses.create", **ARGS)

    assert isinstance(caught.value, lc.ContextOverflowError)
    assert isinstance(caught.value, errors.BadRequestError)
    assert caught.value.code == code
    assert len(scripted_server.requests) == 1


async def test_overflow_is_decided_by_code_not_message(
    scripted_server: ScriptedServer, twin: Twin
) -> None:
    scripted_server.enqueue(Reply.error(400, "context_length_exceeded", code="other"))

    with pytest.raises(errors.BadRequestError) as caught:
        await twin.call("responses.create", **ARGS)
    assert not isinstance(caught.value, errors.ContextOverflowError)


async def test_insufficient_quota_is_not_retried(
    scripted_server: ScriptedServer, twin: Twin
) -> None:
    scripted_server.enqueue(
        Reply.error(429, "You exceeded your current quota", code="insufficient_quota"),
        Reply(json=response_json()),
    )

    with pytest.raises(errors.QuotaExceededError) as caught:
        await twin.call("responses.create", **ARGS)
    assert isinstance(caught.value, lc.ModelRateLimitError)
    assert len(scripted_server.requests) == 1


async def test_retry_after_over_120_s_is_not_retried(
    scripted_server: ScriptedServer, twin: Twin
) -> None:
    scripted_server.enqueue(Reply.error(429, headers={"retry-after": "600"}))

    with pytest.raises(errors.RateLimitError):
        await twin.call("responses.create", **ARGS)
    assert len(scripted_server.requests) == 1


async def test_x_should_retry_false_on_503(scripted_server: ScriptedServer, twin: Twin) -> None:
    scripted_server.enqueue(
        Reply.error(503, headers={"x-should-retry": "false"}), Reply(json=response_json())
    )

    with pytest.raises(errors.InternalServerError):
        await twin.call("responses.create", **ARGS)
    assert len(scripted_server.requests) == 1


async def test_x_should_retry_true_on_400(scripted_server: ScriptedServer, twin: Twin) -> None:
    scripted_server.enqueue(
        Reply.error(400, headers={"x-should-retry": "true", "retry-after-ms": "10"}),
        Reply(json=response_json()),
    )

    assert (await twin.call("responses.create", **ARGS)).id == "resp_1"
    assert len(scripted_server.requests) == 2


# --------------------------------------------------------------------------- transport faults


@pytest.mark.usefixtures("fast_backoff")
async def test_connection_refused_is_retried_then_raised(make_twin: MakeTwin) -> None:
    attempts: list[float] = []

    def token() -> str:
        attempts.append(time.monotonic())
        return "sk-from-provider"

    twin = make_twin(base_url=ScriptedServer.refused_url(), token_provider=token, max_retries=2)

    with pytest.raises(errors.APIConnectionError) as caught:
        await twin.call("responses.create", **ARGS)

    assert not isinstance(caught.value, errors.APITimeoutError)
    assert isinstance(caught.value, lc.ModelConnectionError)
    assert len(attempts) == 3
    assert "Connection error" in str(caught.value)


@pytest.mark.usefixtures("fast_backoff")
async def test_close_before_headers_is_retried(scripted_server: ScriptedServer, twin: Twin) -> None:
    scripted_server.enqueue(
        Reply(close_before_headers=True), Reply(close_before_headers=True, reset=True)
    )
    scripted_server.enqueue(Reply(json=response_json()))

    assert (await twin.call("responses.create", **ARGS)).id == "resp_1"
    assert len(scripted_server.requests) == 3
    assert_same_requests(scripted_server)


@pytest.mark.usefixtures("fast_backoff")
async def test_body_cut_short_is_retried(scripted_server: ScriptedServer, twin: Twin) -> None:
    body = json.dumps(response_json()).encode()
    scripted_server.enqueue(
        Reply(chunks=[body[:20], body[20:]], close_after_chunks=1), Reply(json=response_json())
    )

    assert (await twin.call("responses.create", **ARGS)).id == "resp_1"
    assert len(scripted_server.requests) == 2


async def test_read_timeout(scripted_server: ScriptedServer, make_twin: MakeTwin) -> None:
    twin = make_twin(timeout=0.25, max_retries=0)
    scripted_server.enqueue(Reply(json=response_json(), delay_headers=3))

    started = time.monotonic()
    with pytest.raises(errors.APITimeoutError) as caught:
        await twin.call("responses.create", **ARGS)

    assert time.monotonic() - started < 2
    assert isinstance(caught.value, errors.APIConnectionError)
    assert isinstance(caught.value, lc.ModelTimeoutError)
    assert "timed out" in str(caught.value)


@pytest.mark.usefixtures("fast_backoff")
async def test_read_timeout_is_retried(
    scripted_server: ScriptedServer, make_twin: MakeTwin
) -> None:
    twin = make_twin(timeout=0.25, max_retries=1)
    slow = Reply(json=response_json(), delay_headers=3)
    scripted_server.enqueue(slow, slow, Reply(json=response_json()))

    with pytest.raises(errors.APITimeoutError):
        await twin.call("responses.create", **ARGS)
    assert len(scripted_server.requests) == 2
    assert scripted_server.pending == 1


async def test_per_call_timeout_overrides_the_client(
    scripted_server: ScriptedServer, twin: Twin
) -> None:
    scripted_server.enqueue(Reply(json=response_json(), delay_headers=3))

    with pytest.raises(errors.APITimeoutError):
        await twin.call("responses.create", **ARGS, timeout=0.2, max_retries=0)
    assert len(scripted_server.requests) == 1


async def test_2xx_with_a_non_json_body(scripted_server: ScriptedServer, twin: Twin) -> None:
    scripted_server.enqueue(
        Reply(body="<html>proxy page</html>", headers={"content-type": "text/html"})
    )

    with pytest.raises(errors.APIError, match="text/html"):
        await twin.call("responses.create", **ARGS)
    assert len(scripted_server.requests) == 1


# --------------------------------------------------------------------------- streams


async def test_stream_happy_path(scripted_server: ScriptedServer, twin: Twin) -> None:
    scripted_server.enqueue(Reply.sse(text_events(["Hel", "lo", "!"])))

    events, error = await twin.stream(**ARGS)

    assert error is None
    assert isinstance(events[0], ev.ResponseCreatedEvent)
    assert isinstance(events[-1], ev.ResponseCompletedEvent)
    assert "".join(e.delta for e in events if isinstance(e, ev.OutputTextDeltaEvent)) == "Hello!"
    assert scripted_server.requests[0].json["stream"] is True


async def test_stream_disconnect_after_some_events(
    scripted_server: ScriptedServer, twin: Twin
) -> None:
    events = text_events(["Hel", "lo", " wor", "ld"], response_id="resp_cut")
    scripted_server.enqueue(Reply.sse(events, close_after_chunks=6))

    received, error = await twin.stream(**ARGS)

    assert isinstance(error, errors.IncompleteStreamError)
    assert not isinstance(error, errors.StreamTimeoutError)
    assert isinstance(error, lc.ModelConnectionError)
    assert error.partial_text == "Hello"
    assert error.response_id == "resp_cut"
    assert len(received) == 6
    assert len(scripted_server.requests) == 1


async def test_stream_disconnect_with_reset(scripted_server: ScriptedServer, twin: Twin) -> None:
    scripted_server.enqueue(
        Reply.sse(text_events(["a", "b", "c"]), close_after_chunks=5, reset=True)
    )

    received, error = await twin.stream(**ARGS)

    assert isinstance(error, errors.IncompleteStreamError)
    assert error.partial_text == "a"
    assert len(received) == 5


async def test_clean_but_truncated_stream(scripted_server: ScriptedServer, twin: Twin) -> None:
    events = text_events(["par", "tial"], response_id="resp_trunc", terminal=None)
    scripted_server.enqueue(Reply.sse(events))

    received, error = await twin.stream(**ARGS)

    assert isinstance(error, errors.IncompleteStreamError)
    assert error.partial_text == "partial"
    assert error.response_id == "resp_trunc"
    assert len(received) == len(events)


async def test_empty_stream_is_incomplete(scripted_server: ScriptedServer, twin: Twin) -> None:
    scripted_server.enqueue(Reply.sse([]))

    received, error = await twin.stream(**ARGS)

    assert received == []
    assert isinstance(error, errors.IncompleteStreamError)
    assert error.response is None
    assert error.partial_text == ""


async def test_stalled_stream_times_out(
    scripted_server: ScriptedServer, make_twin: MakeTwin
) -> None:
    twin = make_twin(timeout=0.3)
    events = text_events(["slow", "er"], response_id="resp_stall")
    scripted_server.enqueue(Reply.sse(events, stall_after_chunks=5))

    started = time.monotonic()
    received, error = await twin.stream(**ARGS)

    assert time.monotonic() - started < 3
    assert isinstance(error, errors.StreamTimeoutError)
    assert isinstance(error, errors.IncompleteStreamError)
    assert isinstance(error, lc.ModelTimeoutError)
    assert error.partial_text == "slow"
    assert error.response_id == "resp_stall"
    assert len(received) == 5
    scripted_server.wait_until(lambda: scripted_server.disconnects == 1)


@pytest.mark.parametrize(
    "error_event",
    [
        {"type": "error", "code": "server_error", "message": "Something broke", "param": None},
        {
            "type": "error",
            "error": {
                "type": "server_error",
                "code": "server_error",
                "message": "Something broke",
                "param": None,
            },
        },
    ],
    ids=["flat", "nested"],
)
async def test_error_event(
    scripted_server: ScriptedServer, twin: Twin, error_event: dict[str, object]
) -> None:
    events = text_events(["one"], terminal=None)[:5]
    scripted_server.enqueue(Reply.sse([*events, {**error_event, "sequence_number": 5}]))

    received, error = await twin.stream(**ARGS)

    assert isinstance(error, errors.StreamEventError)
    assert isinstance(error, lc.ModelAPIError)
    assert error.code == "server_error"
    assert error.message == "Something broke"
    assert error.partial_text == "one"
    assert error.response_id == "resp_1"
    assert len(received) == 5


async def test_response_failed(scripted_server: ScriptedServer, twin: Twin) -> None:
    events = text_events(["one"], terminal=None)
    failed = response_json(
        status="failed", text=None, error={"code": "server_error", "message": "The model failed"}
    )
    events.append({"type": "response.failed", "response": failed, "sequence_number": len(events)})
    scripted_server.enqueue(Reply.sse(events))

    received, error = await twin.stream(**ARGS)

    assert isinstance(error, errors.ResponseFailedError)
    assert error.code == "server_error"
    assert error.message == "The model failed"
    assert error.response is not None
    assert error.response.status == "failed"
    assert len(received) == len(events) - 1


async def test_malformed_json_event(scripted_server: ScriptedServer, twin: Twin) -> None:
    events = text_events(["ok"], terminal=None)[:5]
    scripted_server.enqueue(
        Reply.sse([*events, b'event: response.output_text.delta\ndata: {"type": \n\n'])
    )

    received, error = await twin.stream(**ARGS)

    assert isinstance(error, errors.MalformedEventError)
    assert error.partial_text == "ok"
    assert len(received) == 5


async def test_unknown_event_passes_through(scripted_server: ScriptedServer, twin: Twin) -> None:
    events = text_events(["x"])
    unknown = {"type": "response.brand_new.thing", "sequence_number": 99, "payload": {"a": 1}}
    scripted_server.enqueue(Reply.sse([*events[:4], unknown, *events[4:]]))

    received, error = await twin.stream(**ARGS)

    assert error is None
    odd = [e for e in received if isinstance(e, ev.UnknownEvent)]
    assert len(odd) == 1
    assert odd[0].type == "response.brand_new.thing"
    assert odd[0].to_dict()["payload"] == {"a": 1}
    assert isinstance(received[-1], ev.ResponseCompletedEvent)


@pytest.mark.usefixtures("fast_backoff")
@pytest.mark.parametrize("fault", ["headers_only", "half_event", "before_headers"])
async def test_stream_dying_before_the_first_event_is_retried(
    scripted_server: ScriptedServer, twin: Twin, fault: str
) -> None:
    events = text_events(["re", "try"])
    first_event = sse_event(events[0])
    broken = {
        "headers_only": Reply.sse(events, close_after_chunks=0),
        "half_event": Reply(
            headers={"content-type": "text/event-stream"},
            chunks=[first_event[:30], first_event[30:]],
            close_after_chunks=1,
        ),
        "before_headers": Reply(close_before_headers=True),
    }[fault]
    scripted_server.enqueue(broken, Reply.sse(events))

    received, error = await twin.stream(**ARGS)

    assert error is None
    assert len(scripted_server.requests) == 2
    assert_same_requests(scripted_server)
    assert "".join(e.delta for e in received if isinstance(e, ev.OutputTextDeltaEvent)) == "retry"
    assert len(received) == len(events)


@pytest.mark.usefixtures("fast_backoff")
async def test_stream_status_error_is_retried(scripted_server: ScriptedServer, twin: Twin) -> None:
    scripted_server.enqueue(Reply.error(503), Reply.sse(text_events(["ok"])))

    received, error = await twin.stream(**ARGS)

    assert error is None
    assert isinstance(received[-1], ev.ResponseCompletedEvent)
    assert len(scripted_server.requests) == 2


async def test_stream_status_error_raises_at_open(
    scripted_server: ScriptedServer, twin: Twin
) -> None:
    scripted_server.enqueue(Reply.error(401, "Incorrect API key provided"))

    received, error = await twin.stream(**ARGS)

    assert received == []
    assert isinstance(error, errors.AuthenticationError)


async def test_huge_event(scripted_server: ScriptedServer, twin: Twin) -> None:
    big = "x" * 4_000_000
    events = text_events(["a", big, "b"])
    scripted_server.enqueue(Reply.sse(events))

    received, error = await twin.stream(**ARGS)

    assert error is None
    deltas = [e.delta for e in received if isinstance(e, ev.OutputTextDeltaEvent)]
    assert [len(d) for d in deltas] == [1, 4_000_000, 1]
    assert received[-1].response.output_text == "a" + big + "b"


async def test_stream_answered_with_plain_json(scripted_server: ScriptedServer, twin: Twin) -> None:
    scripted_server.enqueue(Reply(json=response_json("resp_json", text="Plain")))

    received, error = await twin.stream(**ARGS)

    assert error is None
    assert len(received) == 1
    assert isinstance(received[0], ev.ResponseCompletedEvent)
    assert received[0].response.id == "resp_json"
    assert received[0].response.output_text == "Plain"


async def test_stream_answered_with_json_that_is_not_a_response(
    scripted_server: ScriptedServer, twin: Twin
) -> None:
    scripted_server.enqueue(Reply(json={"unexpected": True}))

    _, error = await twin.stream(**ARGS)
    assert isinstance(error, errors.MalformedEventError)


async def test_background_stream_resumes_after_a_disconnect(
    scripted_server: ScriptedServer, twin: Twin
) -> None:
    events = text_events(["one ", "two ", "three"], response_id="resp_bg", background=True)
    scripted_server.enqueue(
        Reply.sse(events, close_after_chunks=6),
        # The server replays from a little before the cursor: duplicates must be dropped.
        Reply.sse(events[4:]),
    )

    received, error = await twin.stream(**ARGS, background=True)

    assert error is None
    first, resumed = scripted_server.requests
    assert (first.method, first.path) == ("POST", "/v1/responses")
    assert (resumed.method, resumed.path) == ("GET", "/v1/responses/resp_bg")
    assert resumed.query == {"stream": "true", "starting_after": "5"}
    assert [e.sequence_number for e in received] == list(range(len(events)))
    assert received[-1].response.output_text == "one two three"


async def test_closing_a_stream_early_closes_the_connection(
    scripted_server: ScriptedServer, twin: Twin
) -> None:
    scripted_server.enqueue(Reply.sse(text_events(["a", "b"]), stall_after_chunks=3))

    stream = await twin.call("responses.create", **ARGS, stream=True)
    if twin.mode == "sync":
        assert isinstance(next(iter(stream)), ev.ResponseCreatedEvent)
        stream.close()
    else:
        assert isinstance(await anext(aiter(stream)), ev.ResponseCreatedEvent)
        await stream.close()

    scripted_server.wait_until(lambda: scripted_server.disconnects == 1)
    # The client leaves while the server is still sending (or already stalled): either way the
    # server sees the connection close mid-response, which is what is tested.
    assert scripted_server.disconnect_events[0].phase in {"body", "stall"}


async def test_resume_keeps_include_and_per_call_options_across_resumes(
    scripted_server: ScriptedServer, twin: Twin
) -> None:
    events = text_events(["a", "b", "c", "d"], response_id="resp_bg", background=True)
    scripted_server.enqueue(
        Reply.sse(events, close_after_chunks=5),
        Reply.sse(events[5:], close_after_chunks=2),
        Reply.sse(events[7:]),
    )

    received, error = await twin.stream(
        **ARGS,
        background=True,
        include=["reasoning.encrypted_content"],
        extra_headers={"x-trace": "t1"},
        extra_query={"api-version": "2025-04-01"},
        extra_body={"vendor_flag": True},
    )

    assert error is None
    post, first_resume, second_resume = scripted_server.requests
    assert post.json["vendor_flag"] is True
    assert [r.query.get("starting_after") for r in (first_resume, second_resume)] == ["4", "6"]
    for request in (post, first_resume, second_resume):
        assert request.headers["x-trace"] == "t1"
        assert request.query["api-version"] == "2025-04-01"
    for request in (first_resume, second_resume):
        assert request.method == "GET"
        assert request.body == b""
        assert request.query["include[]"] == "reasoning.encrypted_content"
    assert received[-1].response.output_text == "abcd"
    assert [e.sequence_number for e in received] == list(range(len(events)))


async def test_resumes_are_bounded(scripted_server: ScriptedServer, twin: Twin) -> None:
    events = text_events(["a", "b", "c"], response_id="resp_bg", background=True)
    scripted_server.enqueue(
        Reply.sse(events, close_after_chunks=5),
        *[Reply.sse(events[5:], close_after_chunks=1) for _ in range(5)],
    )

    received, error = await twin.stream(**ARGS, background=True)

    assert isinstance(error, errors.IncompleteStreamError)
    assert error.partial_text == "ab"
    assert len(scripted_server.requests) == 6
    assert len(received) == 6


async def test_non_background_stream_is_not_resumed(
    scripted_server: ScriptedServer, twin: Twin
) -> None:
    scripted_server.enqueue(Reply.sse(text_events(["a", "b"]), close_after_chunks=5))

    _, error = await twin.stream(**ARGS)

    assert isinstance(error, errors.IncompleteStreamError)
    assert len(scripted_server.requests) == 1


async def test_stream_per_call_max_retries(scripted_server: ScriptedServer, twin: Twin) -> None:
    scripted_server.enqueue(Reply.error(503), Reply.sse(text_events(["x"])))

    received, error = await twin.stream(**ARGS, max_retries=0)

    assert received == []
    assert isinstance(error, errors.InternalServerError)
    assert len(scripted_server.requests) == 1
    assert scripted_server.pending == 1


async def test_leaving_the_stream_context_early_closes_the_connection(
    scripted_server: ScriptedServer, twin: Twin
) -> None:
    scripted_server.enqueue(Reply.sse(text_events(["a", "b"]), stall_after_chunks=4))

    stream = twin.client.responses.stream(**ARGS)
    if twin.mode == "sync":
        with stream as opened:  # type: ignore[union-attr]
            for event in opened:
                if isinstance(event, ev.ContentPartAddedEvent):
                    break
    else:
        async with stream as aopened:  # type: ignore[union-attr]
            async for event in aopened:
                if isinstance(event, ev.ContentPartAddedEvent):
                    break

    scripted_server.wait_until(lambda: scripted_server.disconnects == 1, timeout=3)
    assert stream.response is not None
    assert stream.response.id == "resp_1"


@pytest.mark.parametrize("tail", ["stall", "close", "reset"])
async def test_trouble_after_the_terminal_event_is_not_an_error(
    scripted_server: ScriptedServer, make_twin: MakeTwin, tail: str
) -> None:
    twin = make_twin(timeout=0.3)
    events = text_events(["all ", "there"])
    fault = {
        "stall": {"stall_after_chunks": len(events)},
        "close": {"close_after_chunks": len(events)},
        "reset": {"close_after_chunks": len(events), "reset": True},
    }[tail]
    scripted_server.enqueue(Reply.sse(events, **fault))

    received, error = await twin.stream(**ARGS)

    assert error is None
    assert len(received) == len(events)
    assert received[-1].response.output_text == "all there"
    assert len(scripted_server.requests) == 1


async def test_incomplete_terminal_is_a_final_response(
    scripted_server: ScriptedServer, twin: Twin
) -> None:
    events = text_events(["cut"], terminal="response.incomplete")
    events[-1]["response"]["incomplete_details"] = {"reason": "max_output_tokens"}
    scripted_server.enqueue(Reply.sse(events))

    received, final, text = await twin.managed_stream(**ARGS)

    assert isinstance(received[-1], ev.ResponseIncompleteEvent)
    assert final.status == "incomplete"
    assert final.incomplete_details is not None
    assert final.incomplete_details.reason == "max_output_tokens"
    assert text == "cut"
