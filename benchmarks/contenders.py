"""The same work done by each library: stream, small call, request building.

Every contender is imported lazily (a worker process imports only its own library), pointed at
the benchmark server, and verified: warm-up checks that each one received every delta.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from benchmarks import payloads

TEXT_DELTA = "response.output_text.delta"
ARGS_DELTA = "response.function_call_arguments.delta"
DELTA_TYPES = frozenset({TEXT_DELTA, ARGS_DELTA})
API_KEY = "sk-bench-not-a-real-key"
PROMPT = "Write a long story."


def model_name(kind: str, n: int) -> str:
    """The model name that tells the server which stream to send."""
    return f"bench-{kind}-{n}"


class Contender:
    """One library doing the benchmark's work."""

    key = ""
    label = ""
    is_chat_model = False
    uses_server = True

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.base_url = f"{self.base}/v1"

    # Each returns what it received: text/argument pieces (clients) or chunks (chat models).
    def stream(self, kind: str, n: int) -> list[Any]:
        raise NotImplementedError

    async def astream(self, kind: str, n: int) -> list[Any]:
        raise NotImplementedError

    def call(self) -> str:
        raise NotImplementedError

    def build(self, messages: list[Any]) -> Any:
        """Turn an agent history into the request the library would send (no I/O)."""
        raise NotImplementedError

    def build_bytes(self, messages: list[Any]) -> bytes | None:
        """The same, all the way to the JSON bytes on the wire (None: not measured)."""
        return None

    def close(self) -> None:
        pass

    async def aclose(self) -> None:
        pass

    # -- verification ---------------------------------------------------------------------

    def received(self, kind: str, got: list[Any]) -> str:
        """The text (or function arguments) that ``got`` adds up to."""
        if not self.is_chat_model:
            return "".join(got)
        if kind == "text":
            return "".join(chunk.text for chunk in got)
        return "".join(call.get("args") or "" for chunk in got for call in chunk.tool_call_chunks)

    def check(self, kind: str, n: int, got: list[Any]) -> None:
        expected = (
            payloads.expected_text(n) if kind == "text" else "".join(payloads.call_arguments(n))
        )
        text = self.received(kind, got)
        if text != expected:
            raise AssertionError(
                f"{self.key}: {kind} stream of {n} deltas received {len(text)} characters, "
                f"expected {len(expected)}: {text[:80]!r}..."
            )


def _messages() -> list[Any]:
    from langchain_core.messages import HumanMessage

    return [HumanMessage(PROMPT)]


# --- raw httpx --------------------------------------------------------------------------------


class RawHttpx(Contender):
    key = "raw"
    label = "raw httpx"

    def __init__(self, base: str) -> None:
        super().__init__(base)
        import httpx  # noqa: TID251 - the raw-httpx baseline

        limits = httpx.Limits(max_connections=1000, max_keepalive_connections=100)
        timeout = httpx.Timeout(600.0, connect=5.0)
        self.client = httpx.Client(limits=limits, timeout=timeout)
        self.aclient = httpx.AsyncClient(limits=limits, timeout=timeout)
        self.url = f"{self.base_url}/responses"
        self.headers = {"authorization": f"Bearer {API_KEY}"}

    def stream(self, kind: str, n: int) -> list[Any]:
        body = {"model": model_name(kind, n), "input": PROMPT, "stream": True}
        out: list[str] = []
        with self.client.stream("POST", self.url, json=body, headers=self.headers) as response:
            response.raise_for_status()
            for line in response.iter_lines():
                if line.startswith("data: "):
                    event = json.loads(line[6:])
                    if event["type"] in DELTA_TYPES:
                        out.append(event["delta"])
        return out

    async def astream(self, kind: str, n: int) -> list[Any]:
        body = {"model": model_name(kind, n), "input": PROMPT, "stream": True}
        out: list[str] = []
        async with self.aclient.stream(
            "POST", self.url, json=body, headers=self.headers
        ) as response:
            response.raise_for_status()
            async for line in response.aiter_lines():
                if line.startswith("data: "):
                    event = json.loads(line[6:])
                    if event["type"] in DELTA_TYPES:
                        out.append(event["delta"])
        return out

    def call(self) -> str:
        body = {"model": "bench-small", "input": PROMPT}
        response = self.client.post(self.url, json=body, headers=self.headers)
        response.raise_for_status()
        data = response.json()
        return "".join(
            part["text"]
            for item in data["output"]
            if item["type"] == "message"
            for part in item["content"]
            if part["type"] == "output_text"
        )

    def build(self, messages: list[Any]) -> Any:
        from benchmarks.history import raw_body

        return raw_body("bench-small", messages)

    def build_bytes(self, messages: list[Any]) -> bytes | None:
        return json.dumps(self.build(messages)).encode()

    def close(self) -> None:
        self.client.close()

    async def aclose(self) -> None:
        await self.aclient.aclose()


# --- openai SDK -------------------------------------------------------------------------------


class OpenAISDK(Contender):
    key = "openai"
    label = "openai SDK"

    def __init__(self, base: str) -> None:
        super().__init__(base)
        from openai import AsyncOpenAI, OpenAI

        self.client = OpenAI(api_key=API_KEY, base_url=self.base_url)
        self.aclient = AsyncOpenAI(api_key=API_KEY, base_url=self.base_url)

    def stream(self, kind: str, n: int) -> list[Any]:
        out: list[str] = []
        with self.client.responses.create(
            model=model_name(kind, n), input=PROMPT, stream=True
        ) as stream:
            for event in stream:
                if event.type in DELTA_TYPES:
                    out.append(event.delta)  # type: ignore[union-attr]
        return out

    async def astream(self, kind: str, n: int) -> list[Any]:
        out: list[str] = []
        stream = await self.aclient.responses.create(
            model=model_name(kind, n), input=PROMPT, stream=True
        )
        async with stream:
            async for event in stream:
                if event.type in DELTA_TYPES:
                    out.append(event.delta)  # type: ignore[union-attr]
        return out

    def call(self) -> str:
        return self.client.responses.create(model="bench-small", input=PROMPT).output_text

    def build(self, messages: list[Any]) -> Any:
        # What the SDK does to a body before sending: transform it against its TypedDicts.
        from openai._utils import maybe_transform
        from openai.types.responses import response_create_params

        from benchmarks.history import raw_body

        return maybe_transform(
            raw_body("bench-small", messages),
            response_create_params.ResponseCreateParamsNonStreaming,
        )

    def build_bytes(self, messages: list[Any]) -> bytes | None:
        return json.dumps(self.build(messages)).encode()

    def close(self) -> None:
        self.client.close()

    async def aclose(self) -> None:
        await self.aclient.close()


# --- langchain-openai -------------------------------------------------------------------------


class LangchainOpenAI(Contender):
    key = "lc_openai"
    label = "langchain-openai"
    is_chat_model = True

    def __init__(self, base: str) -> None:
        super().__init__(base)
        from langchain_openai import ChatOpenAI

        self.llm = ChatOpenAI(
            model="bench-small",
            api_key=API_KEY,  # type: ignore[arg-type]
            base_url=self.base_url,
            use_responses_api=True,
        )
        self.messages = _messages()

    def stream(self, kind: str, n: int) -> list[Any]:
        return list(self.llm.stream(self.messages, model=model_name(kind, n)))

    async def astream(self, kind: str, n: int) -> list[Any]:
        return [c async for c in self.llm.astream(self.messages, model=model_name(kind, n))]

    def call(self) -> str:
        return self.llm.invoke(self.messages).text

    def build(self, messages: list[Any]) -> Any:
        return self.llm._get_request_payload(messages)

    def build_bytes(self, messages: list[Any]) -> bytes | None:
        # At call time the payload also goes through the openai SDK's transform and JSON dump.
        from openai._utils import maybe_transform
        from openai.types.responses import response_create_params

        payload = maybe_transform(
            self.build(messages), response_create_params.ResponseCreateParamsNonStreaming
        )
        return json.dumps(payload).encode()


# --- langchain-responses ----------------------------------------------------------------------


class ResponsesClientContender(Contender):
    key = "lr_client"
    label = "lr ResponsesClient"

    def __init__(self, base: str) -> None:
        super().__init__(base)
        from langchain_responses import AsyncResponsesClient, ResponsesClient

        self.client = ResponsesClient(api_key=API_KEY, base_url=self.base_url)
        self.aclient = AsyncResponsesClient(api_key=API_KEY, base_url=self.base_url)

    def stream(self, kind: str, n: int) -> list[Any]:
        out: list[str] = []
        with self.client.responses.create(
            model=model_name(kind, n), input=PROMPT, stream=True
        ) as stream:
            for event in stream:
                if event.type in DELTA_TYPES:
                    out.append(event.delta)  # type: ignore[union-attr]
        return out

    async def astream(self, kind: str, n: int) -> list[Any]:
        out: list[str] = []
        stream = await self.aclient.responses.create(
            model=model_name(kind, n), input=PROMPT, stream=True
        )
        async with stream:
            async for event in stream:
                if event.type in DELTA_TYPES:
                    out.append(event.delta)  # type: ignore[union-attr]
        return out

    def call(self) -> str:
        return self.client.responses.create(model="bench-small", input=PROMPT).output_text

    def build(self, messages: list[Any]) -> Any:
        # Hand-converted input through the client's own body building (like the openai row).
        from benchmarks.history import raw_body
        from langchain_responses.resources import _specs

        return _specs.create(raw_body("bench-small", messages), stream=False)

    def build_bytes(self, messages: list[Any]) -> bytes | None:
        from langchain_responses._http.request import encode_json

        return encode_json(self.build(messages).body)

    def close(self) -> None:
        self.client.close()

    async def aclose(self) -> None:
        await self.aclient.aclose()


class ChatResponsesContender(Contender):
    key = "lr_chat"
    label = "lr ChatResponses"
    is_chat_model = True
    coalesce_deltas = True

    def __init__(self, base: str) -> None:
        super().__init__(base)
        from langchain_responses import ChatResponses

        self.llm = ChatResponses(
            model="bench-small",
            api_key=API_KEY,
            base_url=self.base_url,
            coalesce_deltas=self.coalesce_deltas,
        )
        self.messages = _messages()

    def stream(self, kind: str, n: int) -> list[Any]:
        return list(self.llm.stream(self.messages, model=model_name(kind, n)))

    async def astream(self, kind: str, n: int) -> list[Any]:
        return [c async for c in self.llm.astream(self.messages, model=model_name(kind, n))]

    def call(self) -> str:
        return self.llm.invoke(self.messages).text

    def build(self, messages: list[Any]) -> Any:
        from langchain_responses.convert.params import request_body

        return request_body(self.llm._settings(), messages)

    def build_bytes(self, messages: list[Any]) -> bytes | None:
        # What _generate does next: client.responses.create(**body) -> _specs.create -> JSON.
        from langchain_responses._http.request import encode_json
        from langchain_responses.resources import _specs

        return encode_json(_specs.create(self.build(messages), stream=False).body or {})

    def close(self) -> None:
        self.llm.close()

    async def aclose(self) -> None:
        await self.llm.aclose()


class ChatResponsesPerEventContender(ChatResponsesContender):
    """ChatResponses with ``coalesce_deltas=False``: one chunk per server event, always.

    The default merges deltas that were already received together into one chunk; when the
    consumer keeps up with the server that changes nothing, so this column is the per-event
    cost a consumer pays when it never lags.
    """

    key = "lr_chat_events"
    label = "lr ChatResponses, a chunk per event"
    coalesce_deltas = False

    def build(self, messages: list[Any]) -> Any:
        raise NotImplementedError  # the same code as lr_chat


# --- langchain-core's own floor ---------------------------------------------------------------


def _bare_model_class() -> type:
    from collections.abc import AsyncIterator, Iterator

    from langchain_core.language_models.chat_models import BaseChatModel
    from langchain_core.messages import AIMessage, AIMessageChunk
    from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

    def chunks(kind: str, n: int) -> Iterator[ChatGenerationChunk]:
        # The same chunk shapes ChatResponses emits, with no I/O and no event handling.
        if kind == "text":
            for i in range(n):
                block = {"type": "text", "text": payloads.token(i), "index": 0}
                yield ChatGenerationChunk(message=AIMessageChunk(content=[block]))
        else:
            for delta in payloads.call_arguments(n):
                block = {"type": "function_call", "arguments": delta, "index": 0}
                call = {"name": None, "args": delta, "id": None, "index": 0}
                yield ChatGenerationChunk(
                    message=AIMessageChunk(content=[block], tool_call_chunks=[call])
                )

    class BareChatModel(BaseChatModel):
        """A BaseChatModel that only yields ready-made chunks."""

        @property
        def _llm_type(self) -> str:
            return "bare"

        def _generate(self, messages: Any, stop: Any = None, run_manager: Any = None, **kw: Any):  # type: ignore[no-untyped-def]
            message = AIMessage(content=payloads.SMALL_TEXT)
            return ChatResult(generations=[ChatGeneration(message=message)])

        def _stream(self, messages: Any, stop: Any = None, run_manager: Any = None, **kw: Any):  # type: ignore[no-untyped-def]
            yield from chunks(kw["kind"], kw["n"])

        async def _astream(  # type: ignore[no-untyped-def]
            self, messages: Any, stop: Any = None, run_manager: Any = None, **kw: Any
        ) -> AsyncIterator[ChatGenerationChunk]:
            for chunk in chunks(kw["kind"], kw["n"]):
                yield chunk

    return BareChatModel


class BareChatModelContender(Contender):
    key = "bare"
    label = "bare BaseChatModel"
    is_chat_model = True
    uses_server = False

    def __init__(self, base: str) -> None:
        super().__init__(base)
        self.llm = _bare_model_class()()
        self.messages = _messages()

    def stream(self, kind: str, n: int) -> list[Any]:
        return list(self.llm.stream(self.messages, kind=kind, n=n))

    async def astream(self, kind: str, n: int) -> list[Any]:
        return [c async for c in self.llm.astream(self.messages, kind=kind, n=n)]

    def call(self) -> str:
        return self.llm.invoke(self.messages).text

    def build(self, messages: list[Any]) -> Any:
        raise NotImplementedError


CONTENDERS: dict[str, type[Contender]] = {
    cls.key: cls
    for cls in (
        RawHttpx,
        OpenAISDK,
        LangchainOpenAI,
        ResponsesClientContender,
        ChatResponsesContender,
        ChatResponsesPerEventContender,
        BareChatModelContender,
    )
}


async def concurrent_streams(contender: Contender, streams: int, n: int) -> list[list[Any]]:
    """``streams`` concurrent ``astream`` calls of ``n`` text deltas each."""
    return await asyncio.gather(*(contender.astream("text", n) for _ in range(streams)))
