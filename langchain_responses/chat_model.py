"""``ChatResponses``: a LangChain chat model over the Responses API (/v1/responses).

Fields and thin ``_generate`` / ``_agenerate`` / ``_stream`` / ``_astream`` shells; translation
lives in ``convert/``, stream handling in ``stream/``, HTTP in the client.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import LangSmithParams, LanguageModelInput
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.utils import from_env, secret_from_env
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SecretStr,
    ValidationInfo,
    field_validator,
)

from langchain_responses import errors
from langchain_responses._pools import ClientPools
from langchain_responses.convert import blocks as _blocks  # noqa: F401 - registers translator
from langchain_responses.convert.output import message_from_json
from langchain_responses.convert.params import (
    CHAT_ONLY_PARAMS,
    check_chat_only,
    request_body,
    token_count_params,
)
from langchain_responses.convert.tools import to_bound_tool, to_tool_choice
from langchain_responses.stream.outcome import apply_stop, failed_error, is_pending

if TYPE_CHECKING:
    from httpx import AsyncClient as _AsyncHTTPClient
    from httpx import Client as _HTTPClient

    from langchain_responses.client import AsyncResponsesClient, ResponsesClient
    from langchain_responses.convert.structured import Method
else:
    # httpx (~5 MB) loads with the client, on the first request: pydantic sees ``Any`` here and
    # ``_check_http_client`` does the isinstance check.
    _HTTPClient = _AsyncHTTPClient = Any

_OPTION_KEYS = ("extra_headers", "extra_query", "timeout", "max_retries")
_SETTINGS = (
    "temperature",
    "top_p",
    "max_tokens",
    "reasoning",
    "reasoning_effort",
    "verbosity",
    "include",
    "store",
    "truncation",
    "service_tier",
    "prompt_cache_key",
    "safety_identifier",
    "parallel_tool_calls",
    "instructions",
    "logprobs",
    "top_logprobs",
    "request_metadata",
    "background",
    "use_previous_response_id",
)
"""The fields sent as request settings (``model`` and ``model_kwargs`` aside)."""
JsonObject = dict[str, Any]
F = TypeVar("F", bound=Callable[..., Any])


def _signed(method: F) -> F:
    """``method`` with its signature worked out once, not on every call.

    langchain-core asks ``inspect.signature(self._generate)`` (or ``_agenerate``) on every call
    to see whether it takes ``run_manager``; a ``__signature__`` makes that a lookup (~7 µs).
    """
    method.__signature__ = inspect.signature(method)  # type: ignore[attr-defined]
    return method


class ChatResponses(BaseChatModel):
    """Chat model for the OpenAI Responses API and every server that speaks it.

    Setup: ``pip install langchain-responses``; ``OPENAI_API_KEY`` (and optionally
    ``OPENAI_BASE_URL``) in the environment. See the docs for every option.
    """

    model_config = ConfigDict(populate_by_name=True, arbitrary_types_allowed=True)

    model_name: str = Field(default="gpt-4.1-mini", alias="model")
    """The model, e.g. ``gpt-5.4`` (any string the server accepts; per call: ``model=``)."""
    api_key: SecretStr | None = Field(
        default_factory=secret_from_env("OPENAI_API_KEY", default=None), alias="openai_api_key"
    )
    """Defaults to ``OPENAI_API_KEY``; never shown in repr, logs, errors or serialization."""
    base_url: str | None = Field(
        default_factory=from_env("OPENAI_BASE_URL", default=None), alias="openai_api_base"
    )
    """Defaults to ``OPENAI_BASE_URL``, then ``https://api.openai.com/v1``."""
    organization: str | None = Field(
        default_factory=from_env("OPENAI_ORG_ID", default=None), alias="openai_organization"
    )
    """``OpenAI-Organization`` header; defaults to ``OPENAI_ORG_ID``."""
    project: str | None = Field(default_factory=from_env("OPENAI_PROJECT_ID", default=None))
    """``OpenAI-Project`` header; defaults to ``OPENAI_PROJECT_ID``."""
    timeout: float | None = Field(default=600.0, alias="request_timeout")
    """Seconds to wait on the network at each step (connect at most 5 s); ``None``: forever."""
    stream_idle_timeout: float | None = None
    """Seconds a stream may go without data before it fails (default: ``timeout``)."""
    max_retries: int = 2
    """Retries for connection errors, timeouts, 408/409/429/5xx (the official SDK's policy)."""
    temperature: float | None = None
    """Sampling temperature, 0-2."""
    top_p: float | None = None
    """Nucleus sampling, 0-1."""
    max_tokens: int | None = Field(default=None, alias="max_output_tokens")
    """Sent as ``max_output_tokens`` (at least 16; counts reasoning tokens too)."""
    reasoning: dict[str, Any] | None = None
    """``{"effort": ..., "summary": ...}`` for reasoning models."""
    reasoning_effort: str | None = None
    """Shortcut for ``reasoning={"effort": ...}`` (``none`` ... ``xhigh``)."""
    verbosity: Literal["low", "medium", "high"] | None = None
    """Sent as ``text.verbosity``."""
    include: list[str] | None = None
    """Extra output, e.g. ``reasoning.encrypted_content`` or ``file_search_call.results``."""
    store: bool | None = None
    """Whether the server stores the response (default true). ``False`` adds encrypted reasoning."""
    truncation: Literal["auto", "disabled"] | None = None
    """``auto`` drops the oldest input when the context overflows (deprecated by the API)."""
    service_tier: str | None = None
    """``auto``, ``default``, ``flex``, ``priority`` ..."""
    prompt_cache_key: str | None = None
    """Groups requests for prompt caching."""
    safety_identifier: str | None = None
    """A stable, hashed id of your end user."""
    parallel_tool_calls: bool | None = None
    """Whether the model may call several tools in one turn."""
    instructions: str | None = None
    """Instructions sent with every request (``previous_response_id`` does not carry them)."""
    stop: list[str] | None = Field(default=None, alias="stop_sequences")
    """Emulated client-side: the API has no stop sequences (text is cut, the stream ended)."""
    logprobs: bool | None = None
    """Return log probabilities (adds ``message.output_text.logprobs`` to ``include``)."""
    top_logprobs: int | None = None
    """How many alternatives per token, 0-20."""
    request_metadata: dict[str, str] | None = None
    """Sent as the request's ``metadata`` (LangChain's own ``metadata`` is for tracing)."""
    streaming: bool = False
    """``invoke`` streams under the hood (callbacks see every token)."""
    stream_usage: bool = True
    """Usage always arrives with the last chunk; kept for ChatOpenAI compatibility."""
    coalesce_deltas: bool = True
    """Deltas that were already received together become one chunk (never waits for more).

    A consumer that keeps up sees one chunk per server event anyway; one that lags (many
    concurrent streams, slow callbacks) gets fewer, larger chunks with the same merged result.
    ``False``: always one chunk per server event.
    """
    background: bool = False
    """Run in the background and poll (or stream, resuming after disconnects)."""
    background_poll_interval: float = 1.0
    """Seconds between polls of a background response."""
    use_previous_response_id: bool = False
    """Send only the messages after the last AI response, chained by ``previous_response_id``."""
    model_kwargs: dict[str, Any] = Field(default_factory=dict)
    """Extra create parameters, merged into the body (validated like the rest)."""
    extra_body: dict[str, Any] | None = None
    """Fields sent verbatim in the body (e.g. another server's extensions)."""
    default_headers: dict[str, str] | None = None
    """Headers sent with every request."""
    default_query: dict[str, object] | None = None
    """Query parameters sent with every request (e.g. Azure's ``api-version``)."""
    api_key_header: str = "authorization"
    """``authorization`` (Bearer) or e.g. ``api-key`` for Azure."""
    token_provider: Callable[[], str] | None = Field(default=None, exclude=True)
    """Called for a fresh token before every request (e.g. Microsoft Entra ID for Azure)."""
    async_token_provider: Callable[[], Awaitable[str]] | None = Field(default=None, exclude=True)
    """Async twin of ``token_provider``, used by the async methods."""
    http_client: _HTTPClient | None = Field(default=None, exclude=True)
    """Your own ``httpx.Client`` (proxies, TLS, limits); never closed by this model."""
    http_async_client: _AsyncHTTPClient | None = Field(default=None, exclude=True)
    """Your own ``httpx.AsyncClient``; never closed by this model."""

    _pools: ClientPools = PrivateAttr(default_factory=ClientPools)

    def __init__(self, **data: Any) -> None:
        # Before pydantic: the error stays our InvalidRequestError with its advice.
        check_chat_only(data)
        check_chat_only(data.get("model_kwargs") or {})
        super().__init__(**data)

    @field_validator("http_client", "http_async_client")
    @classmethod
    def _check_http_client(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None:
            return None
        import httpx

        expected = httpx.Client if info.field_name == "http_client" else httpx.AsyncClient
        if not isinstance(value, expected):
            raise TypeError(
                f"{info.field_name} must be an httpx.{expected.__name__}, "
                f"got {type(value).__name__}"
            )
        return value

    # -- LangChain plumbing -------------------------------------------------------------

    @property
    def _llm_type(self) -> str:
        return "responses-chat"

    @classmethod
    def is_lc_serializable(cls) -> bool:
        """Serializable with ``dumpd`` / ``load`` (the API key is masked)."""
        return True

    @classmethod
    def get_lc_namespace(cls) -> list[str]:
        """``["langchain_responses", "chat_model"]``: the module ``load`` imports the class from."""
        return ["langchain_responses", "chat_model"]

    @property
    def lc_secrets(self) -> dict[str, str]:
        """Secrets are replaced by the name of their environment variable."""
        return {"api_key": "OPENAI_API_KEY"}

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_name": self.model_name, **self._settings()}

    def _get_ls_params(self, stop: list[str] | None = None, **kwargs: Any) -> LangSmithParams:
        params = LangSmithParams(
            ls_provider="openai",
            ls_model_name=str(kwargs.get("model") or self.model_name),
            ls_model_type="chat",
        )
        temperature = kwargs.get("temperature", self.temperature)
        if temperature is not None:
            params["ls_temperature"] = temperature
        max_tokens = kwargs.get("max_tokens", self.max_tokens)
        if max_tokens is not None:
            params["ls_max_tokens"] = max_tokens
        if stop or self.stop:
            params["ls_stop"] = stop or self.stop
        return params

    # -- clients --------------------------------------------------------------------------

    def _client_settings(self) -> dict[str, Any]:
        return {
            "api_key": self.api_key.get_secret_value() if self.api_key else None,
            "base_url": self.base_url,
            "organization": self.organization,
            "project": self.project,
            "timeout": self.timeout,
            "max_retries": self.max_retries,
            "default_headers": self.default_headers,
            "default_query": self.default_query,
            "api_key_header": self.api_key_header,
            "token_provider": self.token_provider,
            "async_token_provider": self.async_token_provider,
        }

    @property
    def client(self) -> ResponsesClient:
        """The sync client (created on first use, then reused: one connection pool)."""
        return self._pools.sync(self._sync_client_settings)

    @property
    def async_client(self) -> AsyncResponsesClient:
        """The async client of the running event loop (created on first use, then reused)."""
        return self._pools.async_(self._async_client_settings)

    def _sync_client_settings(self) -> dict[str, Any]:
        return {**self._client_settings(), "http_client": self.http_client}

    def _async_client_settings(self) -> dict[str, Any]:
        return {**self._client_settings(), "http_client": self.http_async_client}

    def close(self) -> None:
        """Close the sync client's connection pool (a user-supplied ``http_client`` stays open)."""
        self._pools.close()

    async def aclose(self) -> None:
        """Close both clients' connection pools (user-supplied httpx clients stay open)."""
        await self._pools.aclose()

    # -- requests -------------------------------------------------------------------------

    def _settings(self) -> dict[str, Any]:
        settings = {"model": self.model_name, **{name: getattr(self, name) for name in _SETTINGS}}
        settings["background"] = self.background or None
        return {**settings, **self.model_kwargs}

    def _prepare(
        self, messages: list[BaseMessage], kwargs: dict[str, Any]
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """(create params, per-call options) for one call."""
        call = dict(kwargs)
        options = {key: call.pop(key) for key in _OPTION_KEYS if key in call}
        extra = {**(self.extra_body or {}), **(call.pop("extra_body", None) or {})}
        if extra:
            options["extra_body"] = extra
        call.pop("stop", None)
        body = request_body({**self._settings(), **call}, messages)
        return body, options

    def _stream_options(self, options: dict[str, Any]) -> dict[str, Any]:
        if self.stream_idle_timeout is None or "timeout" in options:
            return options
        import httpx  # loaded already: the client is about to send

        timeout = httpx.Timeout(self.timeout, connect=5.0, read=self.stream_idle_timeout)
        return {**options, "timeout": timeout}

    def _stop(self, stop: list[str] | None) -> list[str]:
        return list(stop or self.stop or [])

    def _result(self, response: JsonObject, stop: list[str]) -> ChatResult:
        if response.get("status") == "failed":
            raise failed_error(response)
        message = apply_stop(message_from_json(response), stop)
        return ChatResult(generations=[ChatGeneration(message=message)])

    @_signed
    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        body, options = self._prepare(messages, kwargs)
        client = self.client.responses
        response = client._create_json(**body, **options)
        try:
            while is_pending(response):
                time.sleep(self.background_poll_interval)
                response = client._retrieve_json(response["id"], **options)
        except BaseException:
            if is_pending(response):
                client.cancel(response["id"])
            raise
        return self._result(response, self._stop(stop))

    @_signed
    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        body, options = self._prepare(messages, kwargs)
        client = self.async_client.responses
        response = await client._create_json(**body, **options)
        try:
            while is_pending(response):
                await asyncio.sleep(self.background_poll_interval)
                response = await client._retrieve_json(response["id"], **options)
        except BaseException:
            if is_pending(response):
                await asyncio.shield(client.cancel(response["id"]))
            raise
        return self._result(response, self._stop(stop))

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        from langchain_responses.stream.run import ChatStream  # event models load on first stream

        body, options = self._prepare(messages, kwargs)
        run = ChatStream(self._stop(stop))
        options = self._stream_options(options)
        stream = self.client.responses.create(stream=True, **body, **options)
        try:
            for events in stream.reads():
                yield from run.feed_batch(events, coalesce=self.coalesce_deltas)
                if run.stopped:
                    break
            yield run.finish(stream.response)
        finally:
            stream.close()

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        from langchain_responses.stream.run import ChatStream

        body, options = self._prepare(messages, kwargs)
        run = ChatStream(self._stop(stop))
        options = self._stream_options(options)
        stream = await self.async_client.responses.create(stream=True, **body, **options)
        try:
            async for events in stream.reads():
                for chunk in run.feed_batch(events, coalesce=self.coalesce_deltas):
                    yield chunk
                if run.stopped:
                    break
            yield run.finish(stream.response)
        finally:
            await stream.close()

    # -- tools, structured output, tokens -------------------------------------------------

    def bind_tools(
        self,
        tools: Sequence[Mapping[str, Any] | type | Callable[..., Any] | Any],
        *,
        tool_choice: str | dict[str, Any] | bool | None = None,
        strict: bool | None = None,
        parallel_tool_calls: bool | None = None,
        response_format: Any = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        """Bind LangChain tools, functions, pydantic models, JSON schemas and built-in tools."""
        bound = [to_bound_tool(tool, strict=strict) for tool in tools]
        if tool_choice is not None and tool_choice is not False:
            to_tool_choice(tool_choice, bound)  # refuse a bad choice now, not at call time
            kwargs["tool_choice"] = tool_choice
        if parallel_tool_calls is not None:
            kwargs["parallel_tool_calls"] = parallel_tool_calls
        if response_format is not None:
            kwargs["response_format"] = response_format
        return super().bind(tools=bound, **kwargs)

    def with_structured_output(
        self,
        schema: dict[str, Any] | type | None = None,
        *,
        method: Method = "json_schema",
        include_raw: bool = False,
        strict: bool | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, dict[str, Any] | BaseModel]:
        """Structured output: ``json_schema`` (strict, default), function_calling, json_mode."""
        from langchain_responses.convert.structured import structured_runnable  # parsers: lazy

        return structured_runnable(
            self.bind,
            self.bind_tools,
            schema,
            method=method,
            strict=strict,
            include_raw=include_raw,
        )

    def get_num_tokens_from_messages(
        self, messages: list[BaseMessage], tools: Sequence[Any] | None = None
    ) -> int:
        """Exact input tokens from ``POST /responses/input_tokens`` (counts tools too)."""
        settings = {**self._settings()}
        if tools:
            settings["tools"] = [to_bound_tool(tool) for tool in tools]
        params = token_count_params(request_body(settings, messages))
        try:
            return self.client.responses.input_tokens.count(**params)
        except errors.NotFoundError as exc:
            raise errors.NotFoundError(
                f"{self.client.base_url} has no POST /responses/input_tokens endpoint, which "
                "token counting needs (it is exact and counts tools).",
                status=exc.status,
                headers=exc.headers,
                request_id=exc.request_id,
                code=exc.code,
                param=exc.param,
                type=exc.type,
                body=exc.body,
            ) from exc


__all__ = ["CHAT_ONLY_PARAMS", "ChatResponses"]
