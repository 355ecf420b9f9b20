"""ChatResponses over a real socket: the basics (llmock or live), then llmock's injected faults.

The fault tests read llmock's journal (``GET /_llmock/requests``) to see every attempt, and
its verdict (``GET /_llmock/verdict``) on how the client coped. llmock judges from the wire
only: it cannot see a client *raise* on a broken stream, so after a truncated, dropped or
corrupted stream that nobody retried it reports the stream as accepted or abandoned. Those
tests check our typed error instead, and show the verdict turning clean once the caller
retries that (retryable) error.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import AsyncIterator, Callable
from typing import Any
from uuid import UUID

import pytest
from langchain_core.callbacks import AsyncCallbackHandler, BaseCallbackHandler
from langchain_core.exceptions import ContextOverflowError as LCContextOverflowError
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGenerationChunk, LLMResult
from langchain_core.tools import tool

from integration_tests._backend import Backend, llmock_only
from langchain_responses.chat_model import ChatResponses
from langchain_responses.errors import (
    APIConnectionError,
    BadRequestError,
    ContextOverflowError,
    IncompleteStreamError,
    MalformedEventError,
    StreamTimeoutError,
)

PROMPT = "Say hello to the integration suite in one short sentence."
PROMPTS = ["Say hello.", "Say goodbye.", "Name a colour."]

MakeChat = Callable[..., ChatResponses]


@pytest.fixture
async def make_chat(backend: Backend) -> AsyncIterator[MakeChat]:
    """Models for one test, all closed afterwards on the test's event loop."""
    made: list[ChatResponses] = []

    def make(**overrides: Any) -> ChatResponses:
        model = backend.chat(**overrides)
        made.append(model)
        return model

    yield make
    await backend.release(*made)


@pytest.fixture
def chat(make_chat: MakeChat) -> ChatResponses:
    return make_chat()


def merge(chunks: list[AIMessageChunk]) -> AIMessageChunk:
    assert chunks, "the stream yielded nothing"
    full = chunks[0]
    for chunk in chunks[1:]:
        full = full + chunk
    return full


# -- basics -------------------------------------------------------------------------------


def check_answer(backend: Backend, message: BaseMessage) -> None:
    assert isinstance(message, AIMessage)
    assert message.text.strip()
    assert not message.tool_calls
    assert message.id
    assert message.id.startswith("resp_")
    meta = message.response_metadata
    assert meta["model_provider"] == "openai-responses"
    assert str(meta["model_name"]).startswith(backend.model_name)
    assert meta["status"] == "completed"
    assert meta["finish_reason"] == "stop"
    usage = message.usage_metadata
    assert usage is not None
    assert usage["input_tokens"] > 0
    assert usage["output_tokens"] > 0
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]


def check_stream(
    backend: Backend, chunks: list[AIMessageChunk], *, in_pieces: bool = False
) -> AIMessageChunk:
    """Text arrives before the end (in pieces: one chunk per delta, ``coalesce_deltas=False``);
    usage, metadata and ``chunk_position="last"`` only at the end."""
    *early, last = chunks
    # By default deltas received together merge into one chunk, and a local server sends fast.
    assert len([c for c in early if c.text]) >= (2 if in_pieces else 1), "no text before the end"
    assert last.chunk_position == "last"
    assert all(c.chunk_position is None for c in early)
    assert all(c.usage_metadata is None for c in early), "usage before the last chunk"
    assert last.usage_metadata is not None
    assert len({c.id for c in chunks}) == 1, "chunks of one response carry different ids"
    full = merge(chunks)
    check_answer(backend, full)
    return full


def check_bodies(backend: Backend, prompts: list[str], *, stream: bool) -> None:
    bodies = backend.bodies()
    assert sorted(b["input"][0]["content"] for b in bodies) == sorted(prompts)
    for body in bodies:
        assert body["model"] == backend.model_name
        assert body["input"] == [{"role": "user", "content": body["input"][0]["content"]}]
        assert bool(body.get("stream")) is stream


def test_invoke(backend: Backend, chat: ChatResponses) -> None:
    check_answer(backend, chat.invoke(PROMPT))
    check_bodies(backend, [PROMPT], stream=False)


async def test_ainvoke(backend: Backend, chat: ChatResponses) -> None:
    check_answer(backend, await chat.ainvoke(PROMPT))
    check_bodies(backend, [PROMPT], stream=False)


@pytest.mark.parametrize("coalesce", [True, False])
def test_stream_usage_on_last_chunk(backend: Backend, make_chat: MakeChat, coalesce: bool) -> None:
    chat = make_chat(coalesce_deltas=coalesce)
    full = check_stream(backend, list(chat.stream(PROMPT)), in_pieces=not coalesce)
    check_bodies(backend, [PROMPT], stream=True)
    if not backend.live:
        # llmock answers a prompt the same way every time: streamed == invoked.
        invoked = chat.invoke(PROMPT)
        assert full.text == invoked.text
        assert full.usage_metadata == invoked.usage_metadata


@pytest.mark.parametrize("coalesce", [True, False])
async def test_astream_usage_on_last_chunk(
    backend: Backend, make_chat: MakeChat, coalesce: bool
) -> None:
    chat = make_chat(coalesce_deltas=coalesce)
    chunks = [chunk async for chunk in chat.astream(PROMPT)]
    full = check_stream(backend, chunks, in_pieces=not coalesce)
    check_bodies(backend, [PROMPT], stream=True)
    if not backend.live:
        invoked = await chat.ainvoke(PROMPT)
        assert full.text == invoked.text
        assert full.usage_metadata == invoked.usage_metadata


def test_batch(backend: Backend, chat: ChatResponses) -> None:
    results = chat.batch(PROMPTS)
    assert len(results) == len(PROMPTS)
    for message in results:
        check_answer(backend, message)
    check_bodies(backend, PROMPTS, stream=False)


async def test_abatch(backend: Backend, chat: ChatResponses) -> None:
    results = await chat.abatch(PROMPTS)
    assert len(results) == len(PROMPTS)
    for message in results:
        check_answer(backend, message)
    check_bodies(backend, PROMPTS, stream=False)


@tool
def get_weather(city: str) -> str:
    """Get the current weather for a city."""
    return f"Sunny in {city}."


def test_stream_tool_call_arguments_reassembled(backend: Backend, chat: ChatResponses) -> None:
    # The arguments arrive in fragments (llmock: 12 characters each) and merge into one call.
    model = chat.bind_tools([get_weather], tool_choice="get_weather")
    chunks = list(model.stream("What is the weather in Paris?"))
    assert sum(1 for c in chunks if c.tool_call_chunks) >= 2
    full = merge(chunks)
    (call,) = full.tool_calls
    assert call["name"] == "get_weather"
    assert call["id"]
    assert set(call["args"]) == {"city"}
    if not backend.live:
        assert call["args"] == {"city": "mock-city"}
    assert full.response_metadata["finish_reason"] == "tool_calls"
    (body,) = backend.bodies()
    assert body["tool_choice"] == {"type": "function", "name": "get_weather"}


@llmock_only
def test_scripted_reply_is_returned_verbatim(backend: Backend, chat: ChatResponses) -> None:
    text = "Bonjour! Ceci est une réponse écrite d'avance, avec des accents: é, ü, 你好."
    backend.mock.reply(text, times=2)
    assert chat.invoke(PROMPT).text == text
    assert merge(list(chat.stream(PROMPT))).text == text


@llmock_only
def test_explicit_settings_win_over_the_environment(
    backend: Backend, make_chat: MakeChat, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What llmock's own `llmock` fixture (or a developer's shell) may set must not redirect
    # these suites: every model gets its base_url and api_key explicitly.
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-the-environment")
    chat = make_chat()
    assert chat.base_url == backend.base_url
    assert chat.api_key is not None
    assert chat.api_key.get_secret_value() == backend.api_key
    check_answer(backend, chat.invoke(PROMPT))
    assert len(backend.bodies()) == 1


# -- callbacks ------------------------------------------------------------------------------


class Events(BaseCallbackHandler):
    """The order of chat-model callbacks, with the streamed token texts."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.tokens: list[str] = []
        self.runs: set[UUID] = set()

    def on_chat_model_start(
        self, serialized: Any, messages: Any, *, run_id: UUID, **kwargs: Any
    ) -> None:
        self.names.append("start")
        self.runs.add(run_id)

    def on_llm_new_token(
        self, token: Any, *, chunk: ChatGenerationChunk, run_id: UUID, **kwargs: Any
    ) -> None:
        # `token` is the chunk's content: a list of blocks for this model, so read the text.
        self.names.append("token")
        self.tokens.append(chunk.message.text)
        self.runs.add(run_id)

    def on_llm_end(self, response: LLMResult, *, run_id: UUID, **kwargs: Any) -> None:
        self.names.append("end")
        self.runs.add(run_id)

    def on_llm_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        self.names.append("error")
        self.runs.add(run_id)


class AsyncEvents(AsyncCallbackHandler, Events):
    async def on_chat_model_start(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        Events.on_chat_model_start(self, *args, **kwargs)

    async def on_llm_new_token(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        Events.on_llm_new_token(self, *args, **kwargs)

    async def on_llm_end(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        Events.on_llm_end(self, *args, **kwargs)

    async def on_llm_error(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        Events.on_llm_error(self, *args, **kwargs)


def check_stream_callbacks(events: Events, chunks: list[AIMessageChunk]) -> None:
    # One token callback per chunk, between start and end; the tokens spell the answer.
    assert events.names == ["start", *["token"] * len(chunks), "end"]
    assert "".join(events.tokens) == merge(chunks).text
    assert len(events.runs) == 1


def test_callbacks_order_invoke(chat: ChatResponses) -> None:
    events = Events()
    chat.invoke(PROMPT, config={"callbacks": [events]})
    assert events.names == ["start", "end"]


def test_callbacks_order_stream(chat: ChatResponses) -> None:
    events = Events()
    chunks = list(chat.stream(PROMPT, config={"callbacks": [events]}))
    check_stream_callbacks(events, chunks)


async def test_callbacks_order_astream(chat: ChatResponses) -> None:
    events = AsyncEvents()
    chunks = [chunk async for chunk in chat.astream(PROMPT, config={"callbacks": [events]})]
    check_stream_callbacks(events, chunks)


def test_callbacks_order_streaming_invoke(make_chat: MakeChat) -> None:
    # streaming=True: invoke() goes through the stream, so tokens are reported too.
    events = Events()
    message = make_chat(streaming=True).invoke(PROMPT, config={"callbacks": [events]})
    assert events.names[0] == "start"
    assert events.names[-1] == "end"
    assert set(events.names[1:-1]) == {"token"}
    assert "".join(events.tokens) == message.text


# -- faults: retries ------------------------------------------------------------------------


def journal(backend: Backend) -> list[dict[str, Any]]:
    """``GET /_llmock/requests``: every attempt llmock served in this test."""
    return list(backend.admin("requests")["requests"])


def verdict(backend: Backend) -> dict[str, Any]:
    """``GET /_llmock/verdict``: llmock's judgement of the client."""
    return dict(backend.admin("verdict"))


def finding_codes(judged: dict[str, Any]) -> list[str]:
    return [finding["code"] for finding in judged["findings"]]


def assert_resilient(backend: Backend, *, strict: bool = True) -> dict[str, Any]:
    judged = verdict(backend)
    assert judged["passed"], judged
    if strict:
        assert judged["findings"] == [], judged
    return judged


@llmock_only
def test_rate_limit_waits_retry_after_then_succeeds(backend: Backend, chat: ChatResponses) -> None:
    backend.mock.rate_limit(times=1, retry_after=0.2)
    started = time.monotonic()
    check_answer(backend, chat.invoke(PROMPT))
    assert time.monotonic() - started >= 0.2
    attempts = journal(backend)
    assert [a["status"] for a in attempts] == [429, 200]
    assert attempts[0]["retry_after"] == pytest.approx(0.2)
    assert attempts[1]["started_at"] - attempts[0]["ended_at"] >= 0.2 - 0.05
    judged = assert_resilient(backend)
    assert judged["calls"] == 1
    assert judged["faults_injected"] == 1


@llmock_only
async def test_rate_limit_retried_before_astream(backend: Backend, chat: ChatResponses) -> None:
    backend.mock.rate_limit(times=1, retry_after=0.2)
    check_stream(backend, [chunk async for chunk in chat.astream(PROMPT)])
    assert [a["status"] for a in journal(backend)] == [429, 200]
    assert_resilient(backend)


@llmock_only
def test_server_error_retried_with_backoff(backend: Backend, chat: ChatResponses) -> None:
    backend.mock.fail(500, times=2)
    check_answer(backend, chat.invoke(PROMPT))
    attempts = journal(backend)
    assert [a["status"] for a in attempts] == [500, 500, 200]
    assert len({a["fingerprint"] for a in attempts}) == 1, "the retries changed the request"
    gaps = [
        after["started_at"] - before["ended_at"] for before, after in itertools.pairwise(attempts)
    ]
    assert gaps[1] > gaps[0] > 0.3, f"no exponential backoff: {gaps}"
    judged = assert_resilient(backend)
    assert judged["attempts"] == 3


@llmock_only
async def test_server_error_retried_before_astream(backend: Backend, chat: ChatResponses) -> None:
    backend.mock.fail(500, times=1)
    check_stream(backend, [chunk async for chunk in chat.astream(PROMPT)])
    assert [a["status"] for a in journal(backend)] == [500, 200]
    assert_resilient(backend)


@llmock_only
def test_bad_request_is_not_retried(backend: Backend, chat: ChatResponses) -> None:
    backend.mock.fail(400, message="Invalid value for 'input'.")
    with pytest.raises(BadRequestError) as info:
        chat.invoke(PROMPT)
    assert info.value.status == 400
    assert "Invalid value for 'input'." in str(info.value)
    assert [a["status"] for a in journal(backend)] == [400]
    assert "retried_non_retryable" not in finding_codes(verdict(backend))
    assert_resilient(backend)


@llmock_only
def test_context_overflow_is_typed_and_not_retried(backend: Backend, chat: ChatResponses) -> None:
    backend.mock.context_overflow()
    with pytest.raises(ContextOverflowError) as info:
        chat.invoke(PROMPT)
    assert isinstance(info.value, LCContextOverflowError)  # LangChain's provider-neutral error
    assert info.value.code == "context_length_exceeded"
    assert len(journal(backend)) == 1
    assert_resilient(backend)


# -- faults: broken streams -----------------------------------------------------------------


def stream_until_error(
    model: ChatResponses, error: type[Exception], events: Events | None = None
) -> tuple[list[AIMessageChunk], pytest.ExceptionInfo[Exception]]:
    """The chunks ``stream()`` yielded before it raised ``error``."""
    chunks: list[AIMessageChunk] = []
    config = {"callbacks": [events]} if events else None
    with pytest.raises(error) as info:
        chunks.extend(model.stream(PROMPT, config=config))
    return chunks, info


async def astream_until_error(
    model: ChatResponses, error: type[Exception]
) -> tuple[list[AIMessageChunk], pytest.ExceptionInfo[Exception]]:
    """The chunks ``astream()`` yielded before it raised ``error``."""
    chunks: list[AIMessageChunk] = []

    async def consume() -> None:
        async for chunk in model.astream(PROMPT):
            chunks.append(chunk)

    with pytest.raises(error) as info:
        await consume()
    return chunks, info


def check_no_short_success(chunks: list[AIMessageChunk], error: Exception, full_text: str) -> None:
    """Nothing that looks finished came out; the error keeps what had arrived."""
    assert all(c.chunk_position is None for c in chunks), "a last chunk came before the error"
    assert all(c.usage_metadata is None for c in chunks)
    received = "".join(c.text for c in chunks)
    assert isinstance(error, IncompleteStreamError | MalformedEventError)
    assert error.response_id
    assert error.response_id.startswith("resp_")
    assert full_text.startswith(error.partial_text)
    assert error.partial_text != full_text
    assert received == error.partial_text


def full_answer(chat: ChatResponses) -> str:
    """What llmock says to PROMPT (the same every time)."""
    return chat.invoke(PROMPT).text


@llmock_only
@pytest.mark.parametrize("after_chunks", [3, 6])
def test_truncated_stream_raises(backend: Backend, chat: ChatResponses, after_chunks: int) -> None:
    backend.mock.truncate(after_chunks=after_chunks)
    events = Events()
    chunks, info = stream_until_error(chat, IncompleteStreamError, events)
    assert events.names[0] == "start"
    assert events.names[-1] == "error", "a truncated stream must not end the run as a success"
    (attempt,) = journal(backend)
    assert attempt["fault"] == f"stream:truncate@{after_chunks}"
    assert attempt["completed"] is False
    check_no_short_success(chunks, info.value, full_answer(chat))
    if after_chunks == 6:
        assert info.value.partial_text, "text received before the cut was lost"


@llmock_only
async def test_truncated_astream_raises(backend: Backend, chat: ChatResponses) -> None:
    backend.mock.truncate(after_chunks=3)
    chunks, info = await astream_until_error(chat, IncompleteStreamError)
    check_no_short_success(chunks, info.value, (await chat.ainvoke(PROMPT)).text)


@llmock_only
def test_truncated_stream_fails_a_streaming_invoke(backend: Backend, make_chat: MakeChat) -> None:
    backend.mock.truncate(after_chunks=6)
    with pytest.raises(IncompleteStreamError):
        make_chat(streaming=True).invoke(PROMPT)


@llmock_only
def test_truncated_stream_retried_by_caller_is_judged_resilient(
    backend: Backend, make_chat: MakeChat
) -> None:
    # Alone, llmock reports "truncated_stream_accepted" for any cut stream nobody retried: it
    # cannot see that we raised. IncompleteStreamError is retryable; a caller that retries it
    # gets the whole answer, and llmock's verdict is clean.
    backend.mock.truncate(after_chunks=6)
    model = make_chat(streaming=True).with_retry(
        retry_if_exception_type=(IncompleteStreamError,),
        stop_after_attempt=2,
        wait_exponential_jitter=False,
    )
    message = model.invoke(PROMPT)
    check_answer(backend, message)
    attempts = journal(backend)
    assert [a["fault"] for a in attempts] == ["stream:truncate@6", None]
    assert_resilient(backend)


@llmock_only
def test_disconnect_raises_incomplete_stream(backend: Backend, chat: ChatResponses) -> None:
    backend.mock.disconnect(after_chunks=3)
    chunks, info = stream_until_error(chat, IncompleteStreamError)
    assert isinstance(info.value.__cause__, APIConnectionError)
    (attempt,) = journal(backend)
    assert attempt["fault"] == "stream:disconnect@3"
    check_no_short_success(chunks, info.value, full_answer(chat))
    # No error-level finding; "gave_up" (a warning) only says the stream was not retried
    # inside the call: mid-stream, that decision is the caller's (the error is retryable).
    judged = assert_resilient(backend, strict=False)
    assert set(finding_codes(judged)) <= {"gave_up"}


@llmock_only
async def test_disconnect_raises_incomplete_astream(backend: Backend, chat: ChatResponses) -> None:
    backend.mock.disconnect(after_chunks=3)
    chunks, info = await astream_until_error(chat, IncompleteStreamError)
    check_no_short_success(chunks, info.value, (await chat.ainvoke(PROMPT)).text)
    assert_resilient(backend, strict=False)


@llmock_only
def test_disconnect_retried_by_caller_is_judged_resilient(
    backend: Backend, make_chat: MakeChat
) -> None:
    backend.mock.disconnect(after_chunks=3)
    model = make_chat(streaming=True).with_retry(
        retry_if_exception_type=(IncompleteStreamError,),
        stop_after_attempt=2,
        wait_exponential_jitter=False,
    )
    check_answer(backend, model.invoke(PROMPT))
    assert [a["fault"] for a in journal(backend)] == ["stream:disconnect@3", None]
    assert_resilient(backend)


@llmock_only
def test_corrupt_chunk_raises_malformed_event(backend: Backend, chat: ChatResponses) -> None:
    backend.mock.corrupt(after_chunks=3)
    chunks, info = stream_until_error(chat, MalformedEventError)
    assert "not valid JSON" in str(info.value)
    (attempt,) = journal(backend)
    assert attempt["fault"] == "stream:malformed@3"
    check_no_short_success(chunks, info.value, full_answer(chat))
    # llmock warns "malformed_chunk_ignored" whenever nobody retried: it cannot see that we
    # stopped at the bad chunk and raised. Never an error-level finding.
    judged = assert_resilient(backend, strict=False)
    assert set(finding_codes(judged)) <= {"malformed_chunk_ignored"}


@llmock_only
async def test_corrupt_chunk_raises_malformed_event_async(
    backend: Backend, chat: ChatResponses
) -> None:
    backend.mock.corrupt(after_chunks=3)
    chunks, info = await astream_until_error(chat, MalformedEventError)
    check_no_short_success(chunks, info.value, (await chat.ainvoke(PROMPT)).text)


@llmock_only
def test_stalled_stream_times_out(backend: Backend, make_chat: MakeChat) -> None:
    backend.mock.stall(after_chunks=3, seconds=2.0)
    model = make_chat(stream_idle_timeout=0.3)
    started = time.monotonic()
    chunks, info = stream_until_error(model, StreamTimeoutError)
    assert time.monotonic() - started < 1.5, "the stall was sat through"
    assert all(c.chunk_position is None for c in chunks)
    assert info.value.response_id
    assert "no_read_timeout" not in finding_codes(verdict(backend))
