"""How a streamed chat call ends: incomplete, failed, errored, cut off, stopped; callbacks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import AIMessageChunk, HumanMessage
from langchain_core.outputs import ChatGenerationChunk, LLMResult

from langchain_responses import errors
from langchain_responses.chat_model import ChatResponses
from tests.stream import synthetic as syn
from tests.stream.recorded import merge
from tests.support.server import Reply, ScriptedServer


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as scripted:
        yield scripted
    scripted.check()


@pytest.fixture
def model(server: ScriptedServer) -> Iterator[ChatResponses]:
    chat = ChatResponses(
        model="gpt-4.1", api_key="sk-test", base_url=server.base_url, max_retries=0, timeout=5
    )
    yield chat
    chat.client.close()


def _sse(chunks: list[bytes], **options: Any) -> Reply:
    headers = {"content-type": "text/event-stream"}
    return Reply(headers=headers, chunks=chunks, **options)


class Recorder(BaseCallbackHandler):
    """Remembers the callbacks a run made."""

    def __init__(self) -> None:
        self.events: list[str] = []
        self.tokens: list[tuple[str, ChatGenerationChunk | None]] = []
        self.errors: list[BaseException] = []
        self.result: LLMResult | None = None

    def on_chat_model_start(self, serialized: Any, messages: Any, **kwargs: Any) -> None:
        self.events.append("start")

    def on_llm_new_token(
        self, token: str, *, chunk: Any = None, run_id: UUID, **kwargs: Any
    ) -> None:
        self.events.append("token")
        self.tokens.append((token, chunk))

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        self.events.append("end")
        self.result = response

    def on_llm_error(self, error: BaseException, **kwargs: Any) -> None:
        self.events.append("error")
        self.errors.append(error)


# -- annotations ---------------------------------------------------------------------------


def test_citations_at_one_position_stay_apart(server: ScriptedServer, model: ChatResponses) -> None:
    """File citations carry an ``index`` (their position): LangChain must not merge them."""
    annotations = [
        {"type": "file_citation", "file_id": "file-1", "filename": "a.txt", "index": 5},
        {"type": "file_citation", "file_id": "file-2", "filename": "b.txt", "index": 5},
        {"type": "url_citation", "url": "https://x.test", "title": "X", "start_index": 0}
        | {"end_index": 4},
    ]
    item = syn.message_item("Hello world")
    item["content"][0]["annotations"] = annotations
    where = {"output_index": 0, "item_id": "msg_1", "content_index": 0}
    added = [
        {"type": "response.output_text.annotation.added", **where}
        | {"annotation_index": k, "annotation": annotation}
        for k, annotation in enumerate(annotations)
    ]
    text = syn.text_events(["Hello", " world"])
    events = [
        syn.created(),
        *text[:-1],
        *added,
        {"type": "response.output_item.done", "output_index": 0, "item": item},
        syn.terminal("completed", [item]),
    ]
    server.enqueue(_sse(syn.body(events)))
    merged = merge(list(model.stream([HumanMessage("hi")])))
    assert merged.content[0]["annotations"] == annotations  # type: ignore[index]
    [text_block] = merged.content_blocks
    assert len(text_block.get("annotations", [])) == 3  # three citations, not two


# -- incomplete --------------------------------------------------------------------------


def test_incomplete_stream_surfaces_status_and_finish_reason(
    server: ScriptedServer, model: ChatResponses
) -> None:
    item = syn.message_item("Hello wor", status="incomplete")
    details = {"reason": "max_output_tokens"}
    events = [
        syn.created(),
        *syn.text_events(["Hello", " wor"])[:-1],
        {"type": "response.output_item.done", "output_index": 0, "item": item},
        syn.terminal("incomplete", [item], incomplete_details=details),
    ]
    server.enqueue(_sse(syn.body(events)))
    merged = merge(list(model.stream([HumanMessage("hi")])))
    assert merged.text == "Hello wor"
    assert merged.response_metadata["status"] == "incomplete"
    assert merged.response_metadata["finish_reason"] == "length"
    assert merged.response_metadata["incomplete_details"] == details
    assert merged.usage_metadata is not None
    assert merged.usage_metadata["input_token_details"] == {"cache_read": 4}


def test_incomplete_json_response_surfaces_the_same(
    server: ScriptedServer, model: ChatResponses
) -> None:
    response = syn.terminal(
        "incomplete",
        [syn.message_item("Hi", status="incomplete")],
        incomplete_details={"reason": "content_filter"},
    )["response"]
    server.enqueue(Reply(json=response))
    message = model.invoke([HumanMessage("hi")])
    assert message.response_metadata["status"] == "incomplete"
    assert message.response_metadata["finish_reason"] == "content_filter"


# -- failures raise typed errors, never a short success ---------------------------------

FAILED = syn.terminal("failed", [], error={"code": "server_error", "message": "The model crashed"})
ERROR_FLAT = {"type": "error", "code": "rate_limit_exceeded", "message": "Slow down", "param": None}
ERROR_NESTED = {
    "type": "error",
    "error": {"type": "server_error", "code": "overloaded", "message": "Busy", "param": None},
}


@pytest.mark.parametrize(
    ("tail", "error", "match"),
    [
        pytest.param([FAILED], errors.ResponseFailedError, "The model crashed", id="failed"),
        pytest.param([ERROR_FLAT], errors.StreamEventError, "Slow down", id="error-flat"),
        pytest.param(
            [ERROR_NESTED, FAILED], errors.StreamEventError, "Busy", id="error-then-failed"
        ),
        pytest.param([], errors.IncompleteStreamError, "ended before", id="no-terminal-event"),
    ],
)
def test_failed_streams_raise_stream_errors(
    server: ScriptedServer,
    model: ChatResponses,
    tail: list[dict[str, Any]],
    error: type[errors.StreamError],
    match: str,
) -> None:
    events = [syn.created(), *syn.text_events(["Hel", "lo"]), *tail]
    server.enqueue(_sse(syn.body(events)))
    received: list[AIMessageChunk] = []
    with pytest.raises(error, match=match) as caught:
        received.extend(model.stream([HumanMessage("hi")]))
    assert isinstance(caught.value, errors.StreamError)
    assert not any(chunk.chunk_position == "last" for chunk in received)


def test_failed_json_response_raises(server: ScriptedServer, model: ChatResponses) -> None:
    server.enqueue(Reply(json=FAILED["response"]))
    with pytest.raises(errors.ResponseFailedError, match="The model crashed") as caught:
        model.invoke([HumanMessage("hi")])
    assert caught.value.code == "server_error"


def test_cut_connection_raises_and_reports_on_llm_error(
    server: ScriptedServer, model: ChatResponses
) -> None:
    chunks = syn.text_stream(["Hello", " world", "!"])
    server.enqueue(_sse(chunks, close_after_chunks=4))
    recorder = Recorder()
    received: list[AIMessageChunk] = []
    with pytest.raises(errors.IncompleteStreamError) as caught:
        for chunk in model.stream([HumanMessage("hi")], config={"callbacks": [recorder]}):
            received.append(chunk)
    assert isinstance(caught.value, errors.StreamError)
    assert caught.value.response is not None  # the partial response travels with the error
    assert "".join(chunk.text for chunk in received) == "Hello"
    assert recorder.events[0] == "start"
    assert recorder.events[-1] == "error"
    assert "end" not in recorder.events
    assert recorder.errors == [caught.value]


async def test_cut_connection_raises_in_async_too(server: ScriptedServer) -> None:
    server.enqueue(_sse(syn.text_stream(["Hello", " world"]), close_after_chunks=3))
    chat = ChatResponses(
        model="gpt-4.1", api_key="sk-test", base_url=server.base_url, max_retries=0
    )
    recorder = Recorder()
    with pytest.raises(errors.IncompleteStreamError):
        async for _ in chat.astream([HumanMessage("hi")], config={"callbacks": [recorder]}):
            pass
    await chat.async_client.aclose()
    assert recorder.events[-1] == "error"


def test_stalled_stream_times_out(server: ScriptedServer) -> None:
    server.enqueue(_sse(syn.text_stream(["Hello", " world"]), stall_after_chunks=3))
    chat = ChatResponses(
        model="gpt-4.1", api_key="sk-test", base_url=server.base_url, max_retries=0, timeout=0.5
    )
    try:
        with pytest.raises(errors.StreamTimeoutError):
            list(chat.stream([HumanMessage("hi")]))
    finally:
        chat.client.close()


# -- callbacks ----------------------------------------------------------------------------


def test_callbacks_see_every_chunk_once(server: ScriptedServer, model: ChatResponses) -> None:
    server.enqueue(_sse(syn.text_stream(["Hel", "lo", " there"])))
    recorder = Recorder()
    chunks = list(model.stream([HumanMessage("hi")], config={"callbacks": [recorder]}))
    assert recorder.events == ["start", *["token"] * len(chunks), "end"]
    assert all(isinstance(chunk, ChatGenerationChunk) for _, chunk in recorder.tokens)
    assert [chunk.message for _, chunk in recorder.tokens if chunk] == chunks
    assert recorder.result is not None
    assert recorder.result.generations[0][0].text == "Hello there"


async def test_async_callbacks_see_every_chunk_once(server: ScriptedServer) -> None:
    server.enqueue(_sse(syn.text_stream(["Hel", "lo"])))
    chat = ChatResponses(model="gpt-4.1", api_key="sk-test", base_url=server.base_url)
    recorder = Recorder()
    chunks = [c async for c in chat.astream([HumanMessage("hi")], config={"callbacks": [recorder]})]
    await chat.async_client.aclose()
    assert recorder.events == ["start", *["token"] * len(chunks), "end"]


@pytest.mark.parametrize("coalesce", [True, False])
def test_invoke_with_streaming_calls_on_llm_new_token_per_chunk(
    server: ScriptedServer, coalesce: bool
) -> None:
    server.enqueue(_sse(syn.text_stream(["a", "b", "c"])))
    chat = ChatResponses(
        model="gpt-4.1",
        api_key="sk-test",
        base_url=server.base_url,
        streaming=True,
        coalesce_deltas=coalesce,
    )
    recorder = Recorder()
    message = chat.invoke([HumanMessage("hi")], config={"callbacks": [recorder]})
    chat.client.close()
    assert message.text == "abc"
    texts = [chunk.message.text for _, chunk in recorder.tokens if chunk is not None]
    assert "".join(texts) == "abc"
    assert recorder.events.count("end") == 1
    # Each text delta is reported exactly once (a duplicate report would repeat a letter); when
    # deltas arrive together, coalescing reports them as one token.
    if not coalesce:
        assert [t for t in texts if t] == ["a", "b", "c"]


# -- stop sequences (emulated) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("deltas", "stop", "expected"),
    [
        (["Hello wor", "ld. END of", " it"], ["END"], "Hello world. "),
        (["Hello wor", "ld. E", "N", "D of it"], ["END"], "Hello world. "),  # across deltas
        (["Alpha", " beta<", "|stop|> gamma"], ["<|stop|>", "beta"], "Alpha "),  # first one wins
        (["no stop here"], ["END"], "no stop here"),
        (["ends with E", "N"], ["END"], "ends with EN"),  # a partial match at the end is text
    ],
)
def test_streamed_stop_cuts_text(
    server: ScriptedServer,
    model: ChatResponses,
    deltas: list[str],
    stop: list[str],
    expected: str,
) -> None:
    server.enqueue(_sse(syn.text_stream(deltas)))
    merged = merge(list(model.stream([HumanMessage("hi")], stop=stop)))
    assert merged.text == expected
    assert merged.response_metadata["finish_reason"] == "stop"


def test_streamed_stop_ends_the_stream_early(server: ScriptedServer) -> None:
    deltas = ["one ", "two ", "STOP", " three", " four", " five", " six"]
    server.enqueue(_sse(syn.text_stream(deltas), delays=0.05))
    chat = ChatResponses(
        model="gpt-4.1", api_key="sk-test", base_url=server.base_url, stop=["STOP"]
    )
    merged = merge(list(chat.stream([HumanMessage("hi")])))
    chat.client.close()
    assert merged.text == "one two "
    server.wait_until(lambda: server.disconnects == 1)
    assert server.disconnect_events[0].phase == "body"


def test_non_streamed_stop_cuts_text(server: ScriptedServer, model: ChatResponses) -> None:
    response = syn.terminal("completed", [syn.message_item("Hello END world")])["response"]
    server.enqueue(Reply(json=response), Reply(json=response))
    message = model.invoke([HumanMessage("hi")], stop=["END"])
    assert message.text == "Hello "
    assert message.response_metadata["finish_reason"] == "stop"
    assert model.invoke([HumanMessage("hi")]).text == "Hello END world"
    assert "stop" not in server.requests[0].json  # the API has no stop parameter
