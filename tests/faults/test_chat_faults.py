"""The fault matrix for ``ChatResponses``: invoke, stream, ainvoke and astream on a real server."""

from __future__ import annotations

import asyncio
import gc
import threading
import warnings
from collections.abc import Callable
from typing import Any

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.exceptions import ContextOverflowError as LCContextOverflowError
from langchain_core.messages import AIMessageChunk, HumanMessage, ToolMessage

from langchain_responses import errors
from langchain_responses.chat_model import ChatResponses
from tests.faults.conftest import response_json, sse, text_events
from tests.support.server import Reply, ScriptedServer

Make = Callable[..., ChatResponses]
MODES = ["invoke", "stream", "ainvoke", "astream"]


async def call(model: ChatResponses, mode: str, prompt: str = "hi", **kwargs: Any) -> Any:
    """One call in the given mode; streams are merged into one message."""
    if mode == "invoke":
        return model.invoke(prompt, **kwargs)
    if mode == "ainvoke":
        return await model.ainvoke(prompt, **kwargs)
    if mode == "stream":
        chunks = list(model.stream(prompt, **kwargs))
    else:
        chunks = [c async for c in model.astream(prompt, **kwargs)]
    merged = chunks[0]
    for chunk in chunks[1:]:
        merged += chunk
    return merged


def ok(mode: str, text: str = "Hello there") -> Reply:
    if mode in {"stream", "astream"}:
        return sse(text_events([text[:5], text[5:]]))
    return Reply(json=response_json(text))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("header", ["retry-after", "retry-after-ms"])
async def test_429_waits_as_told_then_succeeds(
    server: ScriptedServer, make_model: Make, mode: str, header: str
) -> None:
    wait = "0.4" if header == "retry-after" else "400"
    server.enqueue(
        Reply.error(429, "slow down", code="rate_limit_exceeded", headers={header: wait})
    )
    server.enqueue(ok(mode))
    result = await call(make_model(server), mode)
    assert result.text == "Hello there"
    first, second = server.requests
    assert second.arrived_at - first.arrived_at >= 0.35


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_5xx_retried_then_succeeds(
    server: ScriptedServer, make_model: Make, mode: str, status: int
) -> None:
    server.enqueue(Reply.error(status, "upstream trouble"), ok(mode))
    result = await call(make_model(server), mode)
    assert result.text == "Hello there"
    assert len(server.requests) == 2


@pytest.mark.parametrize("mode", MODES)
async def test_5xx_gives_up_after_max_retries(
    server: ScriptedServer, make_model: Make, mode: str
) -> None:
    server.enqueue(*[Reply.error(503, "overloaded")] * 2)
    with pytest.raises(errors.InternalServerError) as info:
        await call(make_model(server, max_retries=1), mode)
    assert info.value.status == 503
    assert len(server.requests) == 2


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, errors.BadRequestError),
        (401, errors.AuthenticationError),
        (403, errors.PermissionDeniedError),
        (404, errors.NotFoundError),
        (422, errors.UnprocessableEntityError),
    ],
)
async def test_4xx_never_retried(
    server: ScriptedServer, make_model: Make, mode: str, status: int, error_class: type
) -> None:
    server.enqueue(
        Reply.error(
            status,
            "you did it wrong",
            code="bad_thing",
            param="input",
            headers={"x-request-id": "req_42"},
        )
    )
    with pytest.raises(error_class) as info:
        await call(make_model(server), mode)
    error = info.value
    assert (error.message, error.code, error.param, error.request_id) == (
        "you did it wrong",
        "bad_thing",
        "input",
        "req_42",
    )
    assert len(server.requests) == 1


@pytest.mark.parametrize("mode", ["invoke", "astream"])
async def test_context_overflow_detected_by_code(
    server: ScriptedServer, make_model: Make, mode: str
) -> None:
    server.enqueue(Reply.error(400, "Input is long.", code="context_length_exceeded"))
    with pytest.raises(LCContextOverflowError):
        await call(make_model(server), mode)


@pytest.mark.parametrize("mode", MODES)
async def test_x_should_retry_is_obeyed(
    server: ScriptedServer, make_model: Make, mode: str
) -> None:
    server.enqueue(Reply.error(503, "no", headers={"x-should-retry": "false"}))
    with pytest.raises(errors.InternalServerError):
        await call(make_model(server), mode)
    assert len(server.requests) == 1
    server.enqueue(Reply.error(400, "try again", headers={"x-should-retry": "true"}), ok(mode))
    assert (await call(make_model(server), mode)).text == "Hello there"


@pytest.mark.parametrize("mode", MODES)
async def test_connection_refused_is_retried_then_typed(make_model: Make, mode: str) -> None:
    model = ChatResponses(
        model="m", base_url=ScriptedServer.refused_url() + "/v1", api_key="k", max_retries=1
    )
    with pytest.raises(errors.APIConnectionError):
        await call(model, mode)
    await model.aclose()


@pytest.mark.parametrize("mode", ["invoke", "astream"])
async def test_dns_failure_is_a_connection_error(mode: str) -> None:
    model = ChatResponses(
        model="m", base_url="http://no-such-host.invalid/v1", api_key="k", max_retries=0
    )
    with pytest.raises(errors.APIConnectionError):
        await call(model, mode)
    await model.aclose()


@pytest.mark.parametrize("mode", MODES)
async def test_disconnect_before_headers_is_retried(
    server: ScriptedServer, make_model: Make, mode: str
) -> None:
    server.enqueue(Reply(close_before_headers=True), ok(mode))
    assert (await call(make_model(server), mode)).text == "Hello there"


@pytest.mark.parametrize("mode", MODES)
async def test_read_timeout_is_retried_then_typed(
    server: ScriptedServer, make_model: Make, mode: str
) -> None:
    server.enqueue(*[Reply(json=response_json(), stall_after_chunks=0)] * 2)
    with pytest.raises(errors.APITimeoutError):
        await call(make_model(server, timeout=0.3, max_retries=1), mode)
    assert len(server.requests) == 2


class Tokens(BaseCallbackHandler):
    def __init__(self) -> None:
        self.tokens: list[str] = []
        self.errors: list[BaseException] = []

    def on_llm_new_token(self, token: Any, *, chunk: Any = None, **kwargs: Any) -> None:
        self.tokens.append(chunk.message.text)  # LangChain passes each chunk once

    def on_llm_error(self, error: BaseException, **kwargs: Any) -> None:
        self.errors.append(error)


@pytest.mark.parametrize("mode", ["stream", "astream"])
async def test_disconnect_mid_stream_raises_with_partial_text(
    server: ScriptedServer, make_model: Make, mode: str
) -> None:
    events = text_events(["Hel", "lo ", "wor", "ld"], rid="resp_cut")
    server.enqueue(sse(events, close_after_chunks=6))  # created..2 deltas, then the socket closes
    handler = Tokens()
    seen: list[str] = []
    with pytest.raises(errors.IncompleteStreamError) as info:
        if mode == "stream":
            for chunk in make_model(server).stream("hi", config={"callbacks": [handler]}):
                seen.append(chunk.text)
        else:
            async for chunk in make_model(server).astream("hi", config={"callbacks": [handler]}):
                seen.append(chunk.text)
    assert info.value.partial_text == "Hello "
    assert info.value.response_id == "resp_cut"
    assert "".join(seen) == "Hello "
    # Each token exactly once (deltas from one network read may share a chunk).
    assert "".join(handler.tokens) == "Hello "
    assert len(handler.errors) == 1
    assert len(server.requests) == 1  # never retried after events were read


@pytest.mark.parametrize("mode", MODES)
async def test_truncated_stream_is_never_a_short_success(
    server: ScriptedServer, make_model: Make, mode: str
) -> None:
    events = text_events(["Hel", "lo"])[:-1]  # no response.completed
    server.enqueue(sse(events))
    with pytest.raises(errors.IncompleteStreamError):
        await call(make_model(server, streaming=True), mode)


@pytest.mark.parametrize("mode", ["stream", "astream"])
async def test_stream_resumes_background_response(
    server: ScriptedServer, make_model: Make, mode: str
) -> None:
    events = text_events(["one ", "two ", "three"], rid="resp_bg", background=True)
    server.enqueue(sse(events, close_after_chunks=6))
    server.enqueue(sse(events[6:]))  # the server resumes after the last sequence number seen
    handler = Tokens()
    model = make_model(server, background=True)
    if mode == "stream":
        chunks = list(model.stream("hi", config={"callbacks": [handler]}))
    else:
        chunks = [c async for c in model.astream("hi", config={"callbacks": [handler]})]
    assert "".join(c.text for c in chunks) == "one two three"
    assert "".join(handler.tokens) == "one two three"  # no delta lost or repeated
    resume = server.requests[1]
    assert resume.method == "GET"
    assert resume.path == "/v1/responses/resp_bg"
    assert resume.query == {"stream": "true", "starting_after": "5"}


@pytest.mark.parametrize("mode", ["stream", "astream"])
async def test_idle_timeout_between_events(
    server: ScriptedServer, make_model: Make, mode: str
) -> None:
    server.enqueue(sse(text_events(["a", "b"]), stall_after_chunks=5))
    with pytest.raises(errors.StreamTimeoutError) as info:
        await call(make_model(server, stream_idle_timeout=0.3), mode)
    assert info.value.partial_text == "a"


@pytest.mark.parametrize("mode", ["stream", "astream"])
@pytest.mark.parametrize(
    "event",
    [
        {"type": "error", "code": "server_error", "message": "boom", "param": None},
        {
            "type": "error",
            "error": {"type": "server_error", "code": "server_error", "message": "boom"},
        },
    ],
)
async def test_error_event_raises_typed(
    server: ScriptedServer, make_model: Make, mode: str, event: dict[str, Any]
) -> None:
    events = [*text_events(["a"])[:5], {**event, "sequence_number": 5}]
    server.enqueue(sse(events))
    with pytest.raises(errors.StreamEventError) as info:
        await call(make_model(server), mode)
    assert (info.value.code, info.value.message) == ("server_error", "boom")


@pytest.mark.parametrize("mode", ["stream", "astream"])
async def test_response_failed_raises_typed(
    server: ScriptedServer, make_model: Make, mode: str
) -> None:
    failed = response_json(
        "", status="failed", error={"code": "server_error", "message": "it broke"}
    )
    events = [
        *text_events(["a"])[:4],
        {"type": "response.failed", "response": failed, "sequence_number": 4},
    ]
    server.enqueue(sse(events))
    with pytest.raises(errors.ResponseFailedError) as info:
        await call(make_model(server), mode)
    assert info.value.code == "server_error"


@pytest.mark.parametrize("mode", ["invoke", "ainvoke"])
@pytest.mark.parametrize(
    "odd",
    [{}, {"model": 5}, {"error": "it broke"}],
    ids=["typed", "odd-envelope", "error-as-text"],
)
async def test_failed_response_raises_typed_even_with_an_odd_envelope(
    server: ScriptedServer, make_model: Make, mode: str, odd: dict[str, Any]
) -> None:
    # The message is built from the JSON; the error carries the typed Response when it has
    # one, and the server's error either way.
    error = {"code": "server_error", "message": "it broke"}
    server.enqueue(Reply(json={**response_json("", status="failed", error=error), **odd}))
    with pytest.raises(errors.ResponseFailedError) as info:
        await call(make_model(server), mode)
    assert info.value.message == "it broke"
    assert info.value.code == (None if "error" in odd else "server_error")
    assert (info.value.response is None) == bool(odd)


@pytest.mark.parametrize("mode", MODES)
async def test_incomplete_surfaces_status_and_finish_reason(
    server: ScriptedServer, make_model: Make, mode: str
) -> None:
    final = response_json(
        "Hel", status="incomplete", incomplete_details={"reason": "max_output_tokens"}
    )
    if mode in {"stream", "astream"}:
        events = text_events(["Hel"])
        events[-1] = {
            "type": "response.incomplete",
            "response": {**final, "id": "resp_stream"},
            "sequence_number": events[-1]["sequence_number"],
        }
        server.enqueue(sse(events))
    else:
        server.enqueue(Reply(json=final))
    message = await call(make_model(server), mode)
    assert message.text == "Hel"
    assert message.response_metadata["status"] == "incomplete"
    assert message.response_metadata["finish_reason"] == "length"


@pytest.mark.parametrize("mode", ["invoke", "ainvoke"])
@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"object": "response", "output": []}, id="no-id"),
        pytest.param({**response_json(), "output": {"type": "message"}}, id="output-not-a-list"),
        pytest.param(
            {**response_json(), "output": [{"type": "function_call", "arguments": "{}"}]},
            id="call-without-name",
        ),
    ],
)
async def test_a_body_that_is_no_response_is_an_api_error(
    server: ScriptedServer, make_model: Make, mode: str, body: dict[str, Any]
) -> None:
    server.enqueue(Reply(json=body))
    with pytest.raises(errors.APIError, match="not a valid Response"):
        await call(make_model(server), mode)


@pytest.mark.parametrize("mode", ["invoke", "ainvoke"])
async def test_a_body_the_typed_model_completes_still_gives_a_message(
    server: ScriptedServer, make_model: Make, mode: str
) -> None:
    """A lenient server may leave ``output`` out: the typed model fills it in, as before."""
    server.enqueue(Reply(json={"id": "resp_1", "status": "completed", "model": "m"}))
    message = await call(make_model(server), mode)
    assert message.content == []
    assert message.response_metadata["finish_reason"] == "stop"


@pytest.mark.parametrize("mode", ["stream", "astream"])
async def test_malformed_event_unknown_event_and_huge_event(
    server: ScriptedServer, make_model: Make, mode: str
) -> None:
    huge = "x" * 3_000_000
    events: list[Any] = text_events(["a", huge])
    events.insert(
        3, {"type": "response.brand_new_event", "sequence_number": 99, "payload": {"k": 1}}
    )
    server.enqueue(sse(events))
    message = await call(make_model(server), mode)
    assert message.text == "a" + huge
    bad = text_events(["a"])
    bad.insert(4, b"event: response.output_text.delta\ndata: {not json\n\n")
    server.enqueue(sse(bad))
    with pytest.raises(errors.MalformedEventError):
        await call(make_model(server), mode)


async def test_cancelled_astream_closes_the_connection(
    server: ScriptedServer, make_model: Make
) -> None:
    model = make_model(server)
    server.enqueue(sse(text_events(["a", "b"]), stall_after_chunks=5))
    got = asyncio.Event()

    async def consume() -> None:
        async for _ in model.astream("hi"):
            got.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(got.wait(), 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await server.await_until(lambda: server.disconnects == 1, timeout=2)


def test_closing_a_sync_stream_closes_the_connection(
    server: ScriptedServer, make_model: Make
) -> None:
    server.enqueue(sse(text_events(["a", "b"]), stall_after_chunks=5))
    stream = make_model(server).stream("hi")
    next(stream)
    stream.close()
    server.wait_until(lambda: server.disconnects == 1, timeout=2)


async def test_a_thousand_cancelled_streams_leave_no_connection_open(
    server: ScriptedServer, make_model: Make
) -> None:
    model = make_model(server)
    events = text_events(["a", "b"])

    def stalled(_: Any) -> Reply:
        return sse(events, stall_after_chunks=5)

    server.enqueue(*[stalled] * 1000)

    async def one() -> None:
        async for _ in model.astream("hi"):
            raise asyncio.CancelledError

    for batch in range(10):
        tasks = [asyncio.create_task(one()) for _ in range(100)]
        results = await asyncio.gather(*tasks, return_exceptions=True)
        assert all(isinstance(r, asyncio.CancelledError) for r in results), batch
    await model.aclose()
    await server.await_until(lambda: server.open_connections == 0, timeout=10)
    assert len(server.requests) == 1000


async def test_500_concurrent_astreams_on_one_model(
    server: ScriptedServer, make_model: Make
) -> None:
    model = make_model(server)

    def answer(request: Any) -> Reply:
        text = request.json["input"][0]["content"]
        return sse(text_events([text[:3], text[3:]], rid=f"resp_{text}"))

    server.enqueue(*[answer] * 500)

    async def one(n: int) -> str:
        chunks = [c async for c in model.astream(f"n{n:04d}")]
        assert isinstance(
            chunks[-1].message if hasattr(chunks[-1], "message") else chunks[-1], AIMessageChunk
        )
        return "".join(c.text for c in chunks)

    texts = await asyncio.gather(*(one(n) for n in range(500)))
    assert texts == [f"n{n:04d}" for n in range(500)]


@pytest.mark.parametrize(
    ("build", "match"),
    [
        (lambda m: m.bind_tools([{"type": "teleport"}]), "Unknown tool type"),
        (lambda m: m.invoke([HumanMessage(content=[{"type": "image"}])]), "image block"),
        (
            lambda m: m.invoke([HumanMessage("x"), ToolMessage("r", tool_call_id="call_x")]),
            "answers no tool call",
        ),
        (lambda m: m.bind_tools([], tool_choice="fly"), "names no bound tool"),
        (lambda m: m.invoke("x", temperature=7), "temperature"),
        (lambda m: m.invoke("x", max_tokens=3), "max_output_tokens"),
        (lambda m: m.invoke("x", seed=3), "seed"),
    ],
)
def test_bad_input_is_refused_before_any_request(
    server: ScriptedServer, make_model: Make, build: Callable[[ChatResponses], Any], match: str
) -> None:
    with pytest.raises(errors.InvalidRequestError, match=match):
        build(make_model(server))
    assert server.requests == []


def test_non_json_serialisable_tool_arguments_refused(
    server: ScriptedServer, make_model: Make
) -> None:
    from langchain_core.messages import AIMessage

    history = [
        HumanMessage("x"),
        AIMessage("", tool_calls=[{"name": "f", "args": {"when": object()}, "id": "call_1"}]),
        ToolMessage("r", tool_call_id="call_1"),
    ]
    with pytest.raises(errors.InvalidRequestError, match="JSON"):
        make_model(server).invoke(history)
    assert server.requests == []


@pytest.mark.parametrize("mode", ["stream", "astream"])
async def test_failed_resume_keeps_the_partial_output(
    server: ScriptedServer, make_model: Make, mode: str
) -> None:
    events = text_events(["one ", "two ", "three"], rid="resp_gone", background=True)
    server.enqueue(sse(events, close_after_chunks=6))
    server.enqueue(Reply.error(404, "Response 'resp_gone' not found."))
    with pytest.raises(errors.IncompleteStreamError) as info:
        await call(make_model(server, background=True, max_retries=0), mode)
    assert info.value.partial_text == "one two "
    assert info.value.response_id == "resp_gone"
    assert isinstance(info.value.__cause__, errors.NotFoundError)


def test_one_model_serves_several_event_loops(server: ScriptedServer) -> None:
    model = ChatResponses(model="m", base_url=server.base_url, api_key="k")
    server.enqueue(ok("invoke", "first"), ok("invoke", "second"))

    async def ask_and_close() -> str:
        text = (await model.ainvoke("hi")).text
        await model.aclose()
        return text

    with warnings.catch_warnings():
        # A pool left open when its loop ends would warn (ResourceWarning) once collected.
        warnings.simplefilter("error", ResourceWarning)
        assert asyncio.run(model.ainvoke("hi")).text == "first"  # pool bound to this loop
        # asyncio.run's shutdown closed that pool: the server sees the keep-alive connection go.
        server.wait_until(lambda: server.open_connections == 0)
        assert asyncio.run(ask_and_close()) == "second"  # a new loop gets a new pool
        gc.collect()


def test_a_pool_still_in_use_on_another_loop_stays_open(server: ScriptedServer) -> None:
    # One model, two threads, each with its own loop: the newer loop gets its own pool, and the
    # older loop's pool keeps serving the stream it is in the middle of.
    model = ChatResponses(model="m", base_url=server.base_url, api_key="k")
    pieces = [f"p{i} " for i in range(10)]
    server.enqueue(sse(text_events(pieces), delays=0.05), ok("invoke", "other"))
    streamed: list[str] = []

    async def stream() -> None:
        async for chunk in model.astream("hi"):
            streamed.append(chunk.text)
        await model.aclose()

    thread = threading.Thread(target=asyncio.run, args=(stream(),))
    thread.start()
    server.wait_until(lambda: len(server.requests) == 1)
    assert asyncio.run(model.ainvoke("hi")).text == "other"
    gc.collect()
    thread.join(10)
    assert "".join(streamed) == "".join(pieces)
