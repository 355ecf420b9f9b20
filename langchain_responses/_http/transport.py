"""Sending requests: thin sync and async shells over the shared request/retry/SSE logic."""

from __future__ import annotations

import json
import logging
from collections import deque
from collections.abc import AsyncIterator, Iterator
from typing import Any

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


def _log(response: httpx.Response) -> None:
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


class EventSource:
    """The decoded SSE events of an open streaming response (shared by both shells)."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.request_id = response.headers.get("x-request-id")
        self.is_sse = "text/event-stream" in response.headers.get("content-type", "")
        self._decoder = SSEDecoder()
        self._pending: deque[ServerSentEvent] = deque()
        self.body = b""
        """The whole body, when the server answered a stream request with plain JSON."""

    def accept(self, chunk: bytes) -> bool:
        """Take one chunk; True once there is at least one event to hand out."""
        if self.is_sse:
            self._pending.extend(self._decoder.feed(chunk))
        else:
            self.body += chunk
        return bool(self._pending)

    def finish(self) -> None:
        """End of body: flush the decoder."""
        if self.is_sse:
            self._pending.extend(self._decoder.flush())

    @property
    def buffered(self) -> bool:
        """Whether decoded events are still waiting (the current network read is not used up)."""
        return bool(self._pending)

    def drain(self) -> Iterator[ServerSentEvent]:
        """Hand out the events decoded so far."""
        pending = self._pending
        while pending:
            yield pending.popleft()


class SyncEventSource(EventSource):
    """Sync iteration over the events; closes the response when done or closed."""

    def prime(self) -> SyncEventSource:
        """Read until the first event, so a failure here can still be retried."""
        self._chunks = self.response.iter_bytes()
        try:
            for chunk in self._chunks:
                if self.accept(chunk):
                    break
            else:
                self.finish()
        except httpx.HTTPError as exc:
            self.close()
            raise transport_error(exc) from exc
        return self

    def __iter__(self) -> Iterator[ServerSentEvent]:
        try:
            yield from self.drain()
            for chunk in self._chunks:
                self.accept(chunk)
                yield from self.drain()
            self.finish()
            yield from self.drain()
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
                if self.accept(chunk):
                    break
            else:
                self.finish()
        except httpx.HTTPError as exc:
            await self.aclose()
            raise transport_error(exc) from exc
        return self

    async def __aiter__(self) -> AsyncIterator[ServerSentEvent]:
        try:
            for event in self.drain():
                yield event
            async for chunk in self._chunks:
                self.accept(chunk)
                for event in self.drain():
                    yield event
            self.finish()
            for event in self.drain():
                yield event
        except httpx.HTTPError as exc:
            raise transport_error(exc) from exc
        finally:
            await self.aclose()

    async def aclose(self) -> None:
        """Close the connection (the server sees the client go away)."""
        await self.response.aclose()


class SyncTransport:
    """Sends requests with retries over an ``httpx.Client``."""

    def __init__(self, config: ClientConfig, http_client: httpx.Client | None = None) -> None:
        self.config = config
        self._owns_client = http_client is None
        self.http = http_client or httpx.Client(limits=POOL_LIMITS, follow_redirects=True)

    def request(self, spec: RequestSpec) -> Any:
        """Send ``spec`` and return its JSON body."""
        for attempt in Retrying(**retry_settings(spec.max_retries(self.config))):
            with attempt:
                response = self._send(spec, stream=False)
                return decode_json(response)
        raise AssertionError("unreachable: tenacity reraises the last error")

    def stream(self, spec: RequestSpec) -> SyncEventSource:
        """Open an SSE stream; retried until its first event has been read."""
        for attempt in Retrying(**retry_settings(spec.max_retries(self.config))):
            with attempt:
                return SyncEventSource(self._send(spec, stream=True)).prime()
        raise AssertionError("unreachable: tenacity reraises the last error")

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
        async for attempt in AsyncRetrying(**retry_settings(spec.max_retries(self.config))):
            with attempt:
                response = await self._send(spec, stream=False)
                return decode_json(response)
        raise AssertionError("unreachable: tenacity reraises the last error")

    async def stream(self, spec: RequestSpec) -> AsyncEventSource:
        """Open an SSE stream; retried until its first event has been read."""
        async for attempt in AsyncRetrying(**retry_settings(spec.max_retries(self.config))):
            with attempt:
                return await AsyncEventSource(await self._send(spec, stream=True)).prime()
        raise AssertionError("unreachable: tenacity reraises the last error")

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
