"""LangChain's standard integration suite for ``ChatResponses``, against llmock (or live).

llmock is a real HTTP server speaking ``POST /v1/responses`` (JSON and SSE): requests go
through our whole stack. Where a standard test needs genuine model judgement that llmock
cannot give (a specific argument value, text in a given shape), the answer is scripted on the
server for that test only (:data:`SCRIPTS`); everything else runs on llmock's own behaviour
(tool calls generated from the offered schema, structured output valid against the asked
schema). Multimodal tests download their media; under llmock they get the same kind of file
made locally (network access is limited to loopback) and the request bodies are checked to
carry the parts.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from types import SimpleNamespace
from typing import Any, Literal

import httpx
import pytest
from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_tests.integration_tests import ChatModelIntegrationTests
from langchain_tests.integration_tests import chat_models as standard

from integration_tests._backend import LIVE, LIVE_REASONING_MODEL, Backend, active
from integration_tests._media import pdf, png
from langchain_responses.chat_model import ChatResponses

UsageDetail = Literal[
    "audio_input", "audio_output", "reasoning_output", "cache_read_input", "cache_creation_input"
]

JOKE_JSON = (
    '{"setup": "Why did the cat sit on the computer?", "punchline": "To keep an eye on the mouse."}'
)


def _script_magic_function(backend: Backend) -> None:
    # "What is the value of magic_function(3)?": the argument 3 comes from reading the
    # question, which llmock does not do (it fills arguments from the schema). Invoke + stream.
    backend.mock.call_tool("magic_function", {"input": 3}, times=2)


def _script_unicode_customer(backend: Backend) -> None:
    # The customer's name must be copied from the prompt, in Chinese then in Japanese.
    backend.mock.call_tool(
        "unicode_customer",
        {"customer_name": "你好啊集团", "description": "A Chinese technology company"},
    ).call_tool(
        "unicode_customer",
        {"customer_name": "こんにちは株式会社", "description": "A Japanese company"},
    )


def _script_json_joke(backend: Backend) -> None:
    # JSON mode gives no schema: the 'setup'/'punchline' keys come from reading the prompt.
    # llmock answers json_object requests with {"message": ...}. Two invokes, two streams.
    backend.mock.reply(JOKE_JSON, times=4)


SCRIPTS: dict[str, Callable[[Backend], None]] = {
    "test_tool_calling": _script_magic_function,
    "test_tool_calling_async": _script_magic_function,
    "test_unicode_tool_call_integration": _script_unicode_customer,
    "test_json_mode": _script_json_joke,
}
"""Standard tests whose assertions need model judgement, and the scripted answer for each."""


# -- media: what the multimodal tests download, made locally ------------------------------------

_PNG = png()
_PDF = pdf()


def _offline_get(url: str, **_: Any) -> httpx.Response:
    """``httpx.get`` for the standard suite's media URLs (loopback-only sandbox)."""
    if url.endswith(".png"):
        return httpx.Response(200, content=_PNG, headers={"content-type": "image/png"})
    if url.endswith(".pdf"):
        return httpx.Response(200, content=_PDF, headers={"content-type": "application/pdf"})
    raise AssertionError(f"unexpected download in a standard test: {url}")


def _parts(body: dict[str, Any]) -> list[dict[str, Any]]:
    """Every content part of a request's input: message content and tool-result output."""
    parts: list[dict[str, Any]] = []
    for item in body.get("input") or []:
        for key in ("content", "output"):
            value = item.get(key)
            if isinstance(value, list):
                parts.extend(p for p in value if isinstance(p, dict))
    return parts


def _has_image(body: dict[str, Any]) -> bool:
    return any(p.get("type") == "input_image" and p.get("image_url") for p in _parts(body))


def _has_pdf(body: dict[str, Any]) -> bool:
    return any(
        p.get("type") == "input_file"
        and str(p.get("file_data", "")).startswith("data:application/pdf;base64,")
        for p in _parts(body)
    )


def _tool_output_parts(body: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    outputs = [i for i in body.get("input") or [] if i.get("type") == "function_call_output"]
    return [
        p
        for o in outputs
        if isinstance(o.get("output"), list)
        for p in o["output"]
        if p.get("type") == kind
    ]


MEDIA_CHECKS: dict[str, Callable[[list[dict[str, Any]]], None]] = {
    "test_image_inputs": lambda bodies: _expect(bodies, 3, _has_image),
    "test_pdf_inputs": lambda bodies: _expect(bodies, 2, _has_pdf),
    "test_image_tool_message": lambda bodies: _expect(
        bodies, 2, lambda b: bool(_tool_output_parts(b, "input_image"))
    ),
    "test_pdf_tool_message": lambda bodies: _expect(
        bodies, 1, lambda b: bool(_tool_output_parts(b, "input_file"))
    ),
}
"""Multimodal tests: how many requests they make, and the part each request must carry."""


def _expect(
    bodies: list[dict[str, Any]], count: int, check: Callable[[dict[str, Any]], bool]
) -> None:
    assert len(bodies) == count, f"expected {count} requests, llmock received {len(bodies)}"
    for body in bodies:
        assert check(body), f"the media part is missing from the request: {body['input']!r:.400}"


class TestChatResponsesStandard(ChatModelIntegrationTests):
    streamed = False
    """Whether every request of the suite must be a streamed one (checked on llmock)."""

    @property
    def chat_model_class(self) -> type[ChatResponses]:
        return ChatResponses

    @property
    def chat_model_params(self) -> dict[str, Any]:
        return active().params()

    # -- capabilities (what ChatResponses supports, not what llmock can judge) ---------------

    @property
    def has_tool_calling(self) -> bool:
        return True

    @property
    def has_tool_choice(self) -> bool:
        return True

    @property
    def has_structured_output(self) -> bool:
        return True

    @property
    def supports_json_mode(self) -> bool:
        return True

    @property
    def supports_image_inputs(self) -> bool:
        return True

    @property
    def supports_image_urls(self) -> bool:
        return True

    @property
    def supports_pdf_inputs(self) -> bool:
        return True

    @property
    def supports_image_tool_message(self) -> bool:
        return True

    @property
    def supports_pdf_tool_message(self) -> bool:
        return True

    @property
    def supports_audio_inputs(self) -> bool:
        return False  # the Responses API has no audio input part; we refuse audio blocks

    @property
    def supports_anthropic_inputs(self) -> bool:
        return False  # Anthropic-format image sources are not translated

    @property
    def returns_usage_metadata(self) -> bool:
        return True

    @property
    def supported_usage_metadata_details(
        self,
    ) -> dict[Literal["invoke", "stream"], list[UsageDetail]]:
        # Reasoning and cached-input tokens come in every Responses usage object; cache
        # writes are not reported by OpenAI (only by some compatible servers).
        return {
            "invoke": ["reasoning_output", "cache_read_input"],
            "stream": ["reasoning_output", "cache_read_input"],
        }

    @property
    def supports_model_override(self) -> bool:
        return True

    @property
    def model_override_value(self) -> str:
        return "gpt-4.1-nano"

    # -- usage-detail helpers -------------------------------------------------------------

    def _run(self, prompts: list[str], *, stream: bool, **params: Any) -> AIMessage:
        """Send each prompt in turn (the last one streamed if asked); its answer."""
        model = ChatResponses(**{**self.chat_model_params, **params})
        try:
            for prompt in prompts[:-1]:
                model.invoke(prompt)
            if not stream:
                return model.invoke(prompts[-1])
            full: AIMessageChunk | None = None
            for chunk in model.stream(prompts[-1]):
                full = chunk if full is None else full + chunk
            assert full is not None
            return full
        finally:
            model.close()

    def invoke_with_reasoning_output(self, *, stream: bool = False) -> AIMessage:
        # Live: a reasoning model; llmock answers any model, and reports 0 reasoning tokens.
        model = LIVE_REASONING_MODEL if LIVE else self.chat_model_params["model"]
        prompt = "What is 3^3? Answer with the number only."
        return self._run([prompt], stream=stream, model=model, reasoning={"effort": "low"})

    def invoke_with_cache_read_input(self, *, stream: bool = False) -> AIMessage:
        # OpenAI caches prompts of 1024+ tokens automatically; the second call reads the cache.
        facts = " ".join(f"Fact {i}: the sky is blue on day {i}." for i in range(300))
        prompt = f"{facts}\nHow many facts are listed above? Answer with a number."
        return self._run([prompt, prompt], stream=stream)

    # -- the model under test, closed afterwards ---------------------------------------------

    @pytest.fixture
    async def model(self, request: pytest.FixtureRequest) -> AsyncIterator[ChatResponses]:
        """The standard fixture's model, with its connection pools closed after the test.

        Async so that the async client is closed on the event loop it ran on (an unclosed
        pool is a ResourceWarning, hence an error here).
        """
        extra = getattr(request, "param", None) or {}
        chat = ChatResponses(
            **{**self.standard_chat_model_params, **self.chat_model_params, **extra}
        )
        yield chat
        await chat.aclose()

    # -- per-test llmock scripting --------------------------------------------------------

    @pytest.fixture(autouse=True)
    def _llmock_script(
        self,
        request: pytest.FixtureRequest,
        backend: Backend,
        monkeypatch: pytest.MonkeyPatch,
    ) -> Iterator[None]:
        if backend.live:
            yield
            return
        name = request.node.originalname
        if (script := SCRIPTS.get(name)) is not None:
            script(backend)
        if name in MEDIA_CHECKS:
            monkeypatch.setattr(standard, "httpx", SimpleNamespace(get=_offline_get))
        yield
        if name in MEDIA_CHECKS:
            MEDIA_CHECKS[name](backend.bodies())
        if script is not None:
            pending = backend.pending()
            assert not pending, f"scripted answers were not all used: {pending}"
        if self.streamed:
            unstreamed = [b for b in backend.bodies() if b.get("stream") is not True]
            assert not unstreamed, f"{len(unstreamed)} request(s) were not streamed"


class TestChatResponsesStandardStreamed(TestChatResponsesStandard):
    """The same suite with every call streamed (``streaming=True``: ``invoke`` and ``batch``
    aggregate SSE chunks) and structured output through a forced function call instead of
    ``text.format``: ChatResponses' other two code paths."""

    streamed = True

    @property
    def chat_model_params(self) -> dict[str, Any]:
        return {**super().chat_model_params, "streaming": True}

    @property
    def structured_output_kwargs(self) -> dict[str, Any]:
        return {"method": "function_calling"}
