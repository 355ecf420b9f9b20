"""``client.responses``: thin sync and async twins over the shared request specs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

from pydantic import BaseModel
from typing_extensions import Unpack

from langchain_responses._http.transport import AsyncTransport, SyncTransport
from langchain_responses._wire.params import (
    CompactParams,
    InputTokensCountParams,
    ListParams,
    RequestOptions,
    ResponseCreateParams,
    RetrieveParams,
)
from langchain_responses._wire.response import CompactedResponse, Response, ResponseDeleted
from langchain_responses.convert.response_json import is_readable, response_json
from langchain_responses.resources import _specs
from langchain_responses.resources._parse import parse
from langchain_responses.resources.pagination import AsyncItemPage, ItemPage
from langchain_responses.resources.parsing import ParsedResponse, parse_response, with_text_format

if TYPE_CHECKING:
    from langchain_responses.resources.streaming import AsyncResponseStream, ResponseStream

T = TypeVar("T", bound=BaseModel)


def _sync_stream(transport: SyncTransport, spec: Any) -> ResponseStream:
    """A stream (its module, and the event models, load on the first stream)."""
    from langchain_responses.resources.streaming import ResponseStream

    return ResponseStream(transport, spec)


def _async_stream(transport: AsyncTransport, spec: Any) -> AsyncResponseStream:
    from langchain_responses.resources.streaming import AsyncResponseStream

    return AsyncResponseStream(transport, spec)


def _message_json(body: Any) -> dict[str, Any]:
    """A response body as the JSON ``ChatResponses`` builds its message from.

    Validating a ``Response`` and dumping every item back would be most of a small call's own
    cost, so a body in the expected shape is used as received; any other goes through
    ``Response``, which reports what is wrong (``APIError``) or fills in what was left out.
    """
    return body if is_readable(body) else response_json(parse(Response, body))


def _deleted(response_id: str, body: Any) -> ResponseDeleted:
    # The API may answer DELETE with an empty body: report the deletion all the same.
    return parse(ResponseDeleted, body or {"id": response_id, "deleted": True})


class InputItems:
    """``client.responses.input_items``."""

    def __init__(self, transport: SyncTransport) -> None:
        self._t = transport

    def list(self, response_id: str, **params: Unpack[ListParams]) -> ItemPage:
        """The input items of a stored response; iterating the page walks all pages."""
        spec = _specs.input_items(response_id, params)
        return ItemPage(spec, self._t.request(spec), self._t.request)


class AsyncInputItems:
    """Async ``client.responses.input_items``."""

    def __init__(self, transport: AsyncTransport) -> None:
        self._t = transport

    async def list(self, response_id: str, **params: Unpack[ListParams]) -> AsyncItemPage:
        """The input items of a stored response; iterating the page walks all pages."""
        spec = _specs.input_items(response_id, params)
        return AsyncItemPage(spec, await self._t.request(spec), self._t.request)


class InputTokens:
    """``client.responses.input_tokens``."""

    def __init__(self, transport: SyncTransport) -> None:
        self._t = transport

    def count(self, **params: Unpack[InputTokensCountParams]) -> int:
        """Exact input token count of a request (tools included), without running it."""
        return int(self._t.request(_specs.input_tokens(params))["input_tokens"])


class AsyncInputTokens:
    """Async ``client.responses.input_tokens``."""

    def __init__(self, transport: AsyncTransport) -> None:
        self._t = transport

    async def count(self, **params: Unpack[InputTokensCountParams]) -> int:
        """Exact input token count of a request (tools included), without running it."""
        return int((await self._t.request(_specs.input_tokens(params)))["input_tokens"])


class Responses:
    """``client.responses``: create, stream, parse, retrieve, cancel, delete, compact."""

    def __init__(self, transport: SyncTransport) -> None:
        self._t = transport
        self.input_items = InputItems(transport)
        self.input_tokens = InputTokens(transport)

    @overload
    def create(
        self, *, stream: Literal[False] = False, **params: Unpack[ResponseCreateParams]
    ) -> Response: ...
    @overload
    def create(
        self, *, stream: Literal[True], **params: Unpack[ResponseCreateParams]
    ) -> ResponseStream: ...
    def create(
        self, *, stream: bool = False, **params: Unpack[ResponseCreateParams]
    ) -> Response | ResponseStream:
        """Create a response; ``stream=True`` returns an iterator of typed events."""
        spec = _specs.create(params, stream=stream)
        if stream:
            return _sync_stream(self._t, spec).open()
        return parse(Response, self._t.request(spec))

    def _create_json(self, **params: Unpack[ResponseCreateParams]) -> dict[str, Any]:
        """Internal, for ``ChatResponses``: ``create`` as the JSON its message is built from."""
        return _message_json(self._t.request(_specs.create(params, stream=False)))

    def stream(
        self,
        *,
        response_id: str | None = None,
        starting_after: int | None = None,
        **params: Unpack[ResponseCreateParams],
    ) -> ResponseStream:
        """A stream to use as a context manager: creates a response, or resumes one by id."""
        if response_id is not None:
            spec = _specs.retrieve(response_id, params, stream=True, starting_after=starting_after)
        else:
            spec = _specs.create(params, stream=True)
        return _sync_stream(self._t, spec)

    def parse(
        self, *, text_format: type[T], **params: Unpack[ResponseCreateParams]
    ) -> ParsedResponse[T]:
        """Create a response whose output is parsed into ``text_format`` (a pydantic model)."""
        spec = _specs.create(with_text_format(params, text_format), stream=False)
        return parse_response(self._t.request(spec), text_format)

    @overload
    def retrieve(
        self,
        response_id: str,
        *,
        stream: Literal[False] = False,
        starting_after: int | None = None,
        **params: Unpack[RetrieveParams],
    ) -> Response: ...
    @overload
    def retrieve(
        self,
        response_id: str,
        *,
        stream: Literal[True],
        starting_after: int | None = None,
        **params: Unpack[RetrieveParams],
    ) -> ResponseStream: ...
    def retrieve(
        self,
        response_id: str,
        *,
        stream: bool = False,
        starting_after: int | None = None,
        **params: Unpack[RetrieveParams],
    ) -> Response | ResponseStream:
        """A stored response; ``stream=True`` (+ ``starting_after``) resumes its stream."""
        spec = _specs.retrieve(response_id, params, stream=stream, starting_after=starting_after)
        if stream:
            return _sync_stream(self._t, spec).open()
        return parse(Response, self._t.request(spec))

    def _retrieve_json(self, response_id: str, **params: Unpack[RetrieveParams]) -> dict[str, Any]:
        """Internal, for ``ChatResponses``' background polls: ``retrieve`` as that JSON."""
        return _message_json(self._t.request(_specs.retrieve(response_id, params)))

    def delete(self, response_id: str, **options: Unpack[RequestOptions]) -> ResponseDeleted:
        """Delete a stored response."""
        return _deleted(response_id, self._t.request(_specs.delete(response_id, options)))

    def cancel(self, response_id: str, **options: Unpack[RequestOptions]) -> Response:
        """Cancel a background response (idempotent)."""
        return parse(Response, self._t.request(_specs.cancel(response_id, options)))

    def compact(self, **params: Unpack[CompactParams]) -> CompactedResponse:
        """Compact a conversation into a ``compaction`` item to send as the next input."""
        return parse(CompactedResponse, self._t.request(_specs.compact(params)))


class AsyncResponses:
    """Async ``client.responses``."""

    def __init__(self, transport: AsyncTransport) -> None:
        self._t = transport
        self.input_items = AsyncInputItems(transport)
        self.input_tokens = AsyncInputTokens(transport)

    @overload
    async def create(
        self, *, stream: Literal[False] = False, **params: Unpack[ResponseCreateParams]
    ) -> Response: ...
    @overload
    async def create(
        self, *, stream: Literal[True], **params: Unpack[ResponseCreateParams]
    ) -> AsyncResponseStream: ...
    async def create(
        self, *, stream: bool = False, **params: Unpack[ResponseCreateParams]
    ) -> Response | AsyncResponseStream:
        """Create a response; ``stream=True`` returns an async iterator of typed events."""
        spec = _specs.create(params, stream=stream)
        if stream:
            return await _async_stream(self._t, spec).open()
        return parse(Response, await self._t.request(spec))

    async def _create_json(self, **params: Unpack[ResponseCreateParams]) -> dict[str, Any]:
        """Internal, for ``ChatResponses``: ``create`` as the JSON its message is built from."""
        return _message_json(await self._t.request(_specs.create(params, stream=False)))

    def stream(
        self,
        *,
        response_id: str | None = None,
        starting_after: int | None = None,
        **params: Unpack[ResponseCreateParams],
    ) -> AsyncResponseStream:
        """A stream to use with ``async with``: creates a response, or resumes one by id."""
        if response_id is not None:
            spec = _specs.retrieve(response_id, params, stream=True, starting_after=starting_after)
        else:
            spec = _specs.create(params, stream=True)
        return _async_stream(self._t, spec)

    async def parse(
        self, *, text_format: type[T], **params: Unpack[ResponseCreateParams]
    ) -> ParsedResponse[T]:
        """Create a response whose output is parsed into ``text_format`` (a pydantic model)."""
        spec = _specs.create(with_text_format(params, text_format), stream=False)
        return parse_response(await self._t.request(spec), text_format)

    @overload
    async def retrieve(
        self,
        response_id: str,
        *,
        stream: Literal[False] = False,
        starting_after: int | None = None,
        **params: Unpack[RetrieveParams],
    ) -> Response: ...
    @overload
    async def retrieve(
        self,
        response_id: str,
        *,
        stream: Literal[True],
        starting_after: int | None = None,
        **params: Unpack[RetrieveParams],
    ) -> AsyncResponseStream: ...
    async def retrieve(
        self,
        response_id: str,
        *,
        stream: bool = False,
        starting_after: int | None = None,
        **params: Unpack[RetrieveParams],
    ) -> Response | AsyncResponseStream:
        """A stored response; ``stream=True`` (+ ``starting_after``) resumes its stream."""
        spec = _specs.retrieve(response_id, params, stream=stream, starting_after=starting_after)
        if stream:
            return await _async_stream(self._t, spec).open()
        return parse(Response, await self._t.request(spec))

    async def _retrieve_json(
        self, response_id: str, **params: Unpack[RetrieveParams]
    ) -> dict[str, Any]:
        """Internal, for ``ChatResponses``' background polls: ``retrieve`` as that JSON."""
        return _message_json(await self._t.request(_specs.retrieve(response_id, params)))

    async def delete(self, response_id: str, **options: Unpack[RequestOptions]) -> ResponseDeleted:
        """Delete a stored response."""
        return _deleted(response_id, await self._t.request(_specs.delete(response_id, options)))

    async def cancel(self, response_id: str, **options: Unpack[RequestOptions]) -> Response:
        """Cancel a background response (idempotent)."""
        return parse(Response, await self._t.request(_specs.cancel(response_id, options)))

    async def compact(self, **params: Unpack[CompactParams]) -> CompactedResponse:
        """Compact a conversation into a ``compaction`` item to send as the next input."""
        return parse(CompactedResponse, await self._t.request(_specs.compact(params)))
