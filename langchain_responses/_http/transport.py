"""Sending requests: thin sync and async shells over the shared request/retry/SSE logic."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, TypeVar

import httpx
from tenacity import AsyncRetrying, Retrying

from langchain_responses._http.config import ClientConfig
from langchain_responses._http.request import RequestSpec, build_request
from langchain_responses._http.retry import retry_settings
from langchain_responses._http.sse import ServerSentEvent, SSEDecoder
from langchain_responses._http.status import status_error, transport_error
from langchain_responses.errors import APIError

logger = logging.getLogger("langchain_responses")

POOL_LIMITS = httpx.Limits(max_connections=1000, max_keepalive_connections=100)
T = TypeVar("T")


def _log(response: httpx.Response) -> None:
    if not logger.isEnabledFor(logging.DEBUG):  # the arguments cost ~1 µs to look up
        return
    logger.debug(
        "%s %s -> %d (request id %s)",
        response.request.method,
        response.request.url.path,
        response.status_code,
        response.headers.get("x-request-id"),
    )


def decode_json(response: httpx.Response) -> Any:
    """The JSON body of a successful response (``None`` when empty)."""
    if not response.content:
        return None
    try:
        return json.loads(response.content)
    except ValueError as exc:
        raise APIError(
            f"Expected a JSON body, got {response.headers.get('content-type', 'no content type')}",
            request_id=response.headers.get("x-request-id"),
        ) from exc


def _receive_buffer(response: httpx.Response) -> Any | None:
    """The HTTP/1.1 parser's buffer of bytes received but not yet handed out, if reachable.

    httpx reads the socket in large reads but hands the body out one HTTP chunk at a time, and
    servers send one SSE event per chunk, so "what else has already arrived" is only visible in
    h11's buffer. This reaches it through httpx's and httpcore's stream wrappers; any other
    transport (HTTP/2, a mock, a future httpx) gives ``None`` and events simply aren't grouped.
    A compressed body is never peeked into: its bytes don't show where events end.
    """
    if response.headers.get("content-encoding", "identity") != "identity":
        return None
    stream: Any = getattr(response.stream, "_stream", None)  # httpx: the client's bound stream
    stream = getattr(stream, "_httpcore_stream", None)  # httpx: the transport's stream
    stream = getattr(stream, "_stream", None)  # httpcore: the pool's stream
    connection = getattr(stream, "_connection", None)  # httpcore: the HTTP/1.1 body stream
    buffer = getattr(getattr(connection, "_h11_state", None), "_receive_buffer", None)
    return buffer if isinstance(getattr(buffer, "_data", None), bytearray) else None


class EventSource:
    """The decoded SSE events of an open streaming response (shared by both shells).

    Events come out in *reads*: lists of the events that had already arrived together, so a
    consumer that lags behind the server can handle them in one go at no cost in latency. A read
    is handed out as soon as nothing more is waiting that could complete another event.
    """

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.request_id = response.headers.get("x-request-id")
        self.is_sse = "text/event-stream" in response.headers.get("content-type", "")
        self._decoder = SSEDecoder()
        self._pending: list[ServerSentEvent] = []
        self._received = _receive_buffer(response) if self.is_sse else None
        self.body = b""
        """The whole body, when the server answered a stream request with plain JSON."""

    def accept(self, chunk: bytes) -> None:
        """Take one chunk of the body."""
        if self.is_sse:
            self._pending.extend(self._decoder.feed(chunk))
        else:
            self.body += chunk

    def finish(self) -> list[ServerSentEvent]:
        """End of body: flush the decoder and hand out what is left."""
        if self.is_sse:
            self._pending.extend(self._decoder.flush())
        return self._take()

    def ready(self) -> list[ServerSentEvent]:
        """The events decoded so far, or none while another complete event is already received.

        Holding back never waits on the network: a blank line (the end of an SSE event) in the
        parser's buffer means httpx hands that event over without reading the socket again.
        """
        received = self._received
        if received is not None and self._pending:
            data = received._data
            if b"\n\n" in data or b"\r\n\r\n" in data:
                return []
        return self._take()

    def _take(self) -> list[ServerSentEvent]:
        events, self._pending = self._pending, []
        return events


class SyncEventSource(EventSource):
    """Sync iteration over the reads of events; closes the response when done or closed."""

    def prime(self) -> SyncEventSource:
        """Read until the first event, so a failure here can still be retried."""
        self._chunks = self.response.iter_bytes()
        try:
            for chunk in self._chunks:
                self.accept(chunk)
                if self._pending:
                    break
        except httpx.HTTPError as exc:
            self.close()
            raise transport_error(exc) from exc
        return self

    def __iter__(self) -> Iterator[list[ServerSentEvent]]:
        try:
            if events := self.ready():
                yield events
            for chunk in self._chunks:
                self.accept(chunk)
                if events := self.ready():
                    yield events
            if events := self.finish():
                yield events
        except httpx.HTTPError as exc:
            raise transport_error(exc) from exc
        finally:
            self.close()

    def close(self) -> None:
        """Close the connection (the server sees the client go away)."""
        self.response.close()


class AsyncEventSource(EventSource):
    """Async twin of ``SyncEventSource``."""

    async def prime(self) -> AsyncEventSource:
        """Read until the first event, so a failure here can still be retried."""
        self._chunks = self.response.aiter_bytes()
        try:
            async for chunk in self._chunks:
                self.accept(chunk)
                if self._pending:
                    break
        except httpx.HTTPError as exc:
            await self.aclose()
            raise transport_error(exc) from exc
        return self

    async def __aiter__(self) -> AsyncIterator[list[ServerSentEvent]]:
        try:
            if events := self.ready():
                yield events
            async for chunk in self._chunks:
                self.accept(chunk)
                if events := self.ready():
                    yield events
            if events := self.finish():
                yield events
        except httpx.HTTPError as exc:
            raise transport_error(exc) from exc
        finally:
            await self.aclose()

    async def aclose(self) -> None:
        """Close the connection (the server sees the client go away)."""
        await self.response.aclose()


class _Replay:
    """The first attempt's failure, handed to tenacity as the outcome of its own first attempt.

    Setting up tenacity's loop costs ~10 µs, and nearly every request succeeds at once: so the
    first attempt runs on its own and the loop is built only after it failed. The loop's first
    "attempt" re-raises that failure, so the retry decision, waits, logging and attempt count
    are exactly those of a loop that made every attempt.
    """

    def __init__(self, failure: Exception) -> None:
        self._failure: Exception | None = failure

    def __call__(self) -> None:
        failure, self._failure = self._failure, None
        if failure is not None:
            raise failure


class SyncTransport:
    """Sends requests with retries over an ``httpx.Client``."""

    def __init__(self, config: ClientConfig, http_client: httpx.Client | None = None) -> None:
        self.config = config
        self._owns_client = http_client is None
        self.http = http_client or httpx.Client(limits=POOL_LIMITS, follow_redirects=True)

    def request(self, spec: RequestSpec) -> Any:
        """Send ``spec`` and return its JSON body."""
        return self._retrying(spec, self._json)

    def stream(self, spec: RequestSpec) -> SyncEventSource:
        """Open an SSE stream; retried until its first event has been read."""
        return self._retrying(spec, self._open)

    def _retrying(self, spec: RequestSpec, attempt: Callable[[RequestSpec], T]) -> T:
        """``attempt(spec)`` under the retry policy; tenacity joins in only after a failure."""
        try:
            return attempt(spec)
        except Exception as exc:
            replay = _Replay(exc)
        for retry in Retrying(**retry_settings(spec.max_retries(self.config))):
            with retry:
                replay()
                return attempt(spec)
        raise AssertionError("unreachable: tenacity reraises the last error")

    def _json(self, spec: RequestSpec) -> Any:
        return decode_json(self._send(spec, stream=False))

    def _open(self, spec: RequestSpec) -> SyncEventSource:
        return SyncEventSource(self._send(spec, stream=True)).prime()

    def _send(self, spec: RequestSpec, *, stream: bool) -> httpx.Response:
        request = build_request(self.config, spec, self.config.credentials.headers())
        try:
            response = self.http.send(request, stream=stream)
            _log(response)
            if response.status_code >= 400:
                content = response.read()
                response.close()
                raise status_error(
                    response.status_code,
                    response.headers,
                    self.config.credentials.redact(content),
                )
        except httpx.HTTPError as exc:
            raise transport_error(exc) from exc
        return response

    def close(self) -> None:
        """Close the connection pool, if this transport created it."""
        if self._owns_client:
            self.http.close()


class AsyncTransport:
    """Async twin of ``SyncTransport`` over an ``httpx.AsyncClient``."""

    def __init__(self, config: ClientConfig, http_client: httpx.AsyncClient | None = None) -> None:
        self.config = config
        self._owns_client = http_client is None
        self.http = http_client or httpx.AsyncClient(limits=POOL_LIMITS, follow_redirects=True)

    async def request(self, spec: RequestSpec) -> Any:
        """Send ``spec`` and return its JSON body."""
        return await self._retrying(spec, self._json)

    async def stream(self, spec: RequestSpec) -> AsyncEventSource:
        """Open an SSE stream; retried until its first event has been read."""
        return await self._retrying(spec, self._open)

    async def _retrying(
        self, spec: RequestSpec, attempt: Callable[[RequestSpec], Awaitable[T]]
    ) -> T:
        """``attempt(spec)`` under the retry policy; tenacity joins in only after a failure."""
        try:
            return await attempt(spec)
        except Exception as exc:
            replay = _Replay(exc)
        async for retry in AsyncRetrying(**retry_settings(spec.max_retries(self.config))):
            with retry:
                replay()
                return await attempt(spec)
        raise AssertionError("unreachable: tenacity reraises the last error")

    async def _json(self, spec: RequestSpec) -> Any:
        return decode_json(await self._send(spec, stream=False))

    async def _open(self, spec: RequestSpec) -> AsyncEventSource:
        return await AsyncEventSource(await self._send(spec, stream=True)).prime()

    async def _send(self, spec: RequestSpec, *, stream: bool) -> httpx.Response:
        auth = await self.config.credentials.aheaders()
        request = build_request(self.config, spec, auth)
        try:
            response = await self.http.send(request, stream=stream)
            _log(response)
            if response.status_code >= 400:
                content = await response.aread()
                await response.aclose()
                raise status_error(
                    response.status_code,
                    response.headers,
                    self.config.credentials.redact(content),
                )
        except httpx.HTTPError as exc:
            raise transport_error(exc) from exc
        return response

    async def aclose(self) -> None:
        """Close the connection pool, if this transport created it."""
        if self._owns_client:
            await self.http.aclose()
