"""Streams of typed events: thin sync and async shells over ``ResponseStreamState``."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterator
from dataclasses import replace
from types import TracebackType
from typing import Any

from langchain_responses._http.request import RequestSpec
from langchain_responses._http.sse import ServerSentEvent
from langchain_responses._http.transport import (
    AsyncEventSource,
    AsyncTransport,
    EventSource,
    SyncEventSource,
    SyncTransport,
)
from langchain_responses._wire.events import ResponseStreamEvent
from langchain_responses._wire.response import Response
from langchain_responses.errors import (
    APIConnectionError,
    APIError,
    IncompleteStreamError,
    StreamError,
)
from langchain_responses.resources import _specs
from langchain_responses.stream.state import ResponseStreamState

MAX_RESUMES = 5


class _StreamCore:
    """What both shells share: the state, the resume decision and the final response."""

    def __init__(self, spec: RequestSpec) -> None:
        self.spec = spec
        self.state = ResponseStreamState()
        self._resumes = 0
        self._error: StreamError | None = None

    @property
    def response(self) -> Response | None:
        """The response accumulated so far; the final one after the stream ended."""
        return self.state.response

    @property
    def output_text(self) -> str:
        """The text received so far (all of it once the stream ended)."""
        response = self.state.response
        return response.output_text if response is not None else ""

    def _typed(self, read: list[ServerSentEvent]) -> Iterator[ResponseStreamEvent]:
        """The typed events of one read, parsed as they are taken (never all alive at once).

        A stream error ends the read; it is raised by ``_settle``, once the events before it
        are out.
        """
        feed = self.state.feed
        for sse in read:
            try:
                event = feed(sse)
            except StreamError as exc:
                self._error = exc
                return
            if event is not None:
                yield event

    def _settle(self, events: Iterator[ResponseStreamEvent]) -> None:
        """Once a read was handed out: feed the state what the consumer left, raise the error.

        The error is the stream error ``_typed`` held back until the events before it were out.
        """
        for _ in events:
            pass
        error, self._error = self._error, None
        if error is not None:
            raise error

    def _end(self, source: EventSource) -> Iterator[ResponseStreamEvent]:
        """End of the body: a JSON answer becomes one terminal event; else check completion."""
        events = [self.state.feed_json_body(source.body)] if not source.is_sse else []
        self.state.finish()
        return iter(events)

    def _resume_or_raise(self, exc: APIConnectionError | IncompleteStreamError) -> RequestSpec:
        """The request that resumes a broken background stream, or the error to raise."""
        where = self.state.resumable_from()
        if where is None or self._resumes >= MAX_RESUMES:
            if isinstance(exc, StreamError):
                raise exc
            raise self.state.interrupted(exc) from exc
        self._resumes += 1
        response_id, cursor = where
        self.state.resume_floor = cursor
        # After a first resume the spec is a GET: ``include`` then lives in its query.
        include = (self.spec.body or {}).get("include") or self.spec.query.get("include")
        params: dict[str, Any] = {"include": include} if include else {}
        spec = _specs.retrieve(response_id, params, stream=True, starting_after=cursor)
        # Keep the caller's per-call headers, query, timeout and retries (a GET has no body).
        return replace(spec, options=replace(self.spec.options, extra_body=None))

    def _resume_failed(self, exc: APIError) -> IncompleteStreamError:
        """A resume that failed (e.g. the stored response expired): keep what was received."""
        return IncompleteStreamError(
            f"The stream broke and could not be resumed ({exc}); the output is partial.",
            response=self.state.response,
            request_id=self.state.request_id,
        )

    def final(self) -> Response:
        """The final response (call after the stream was consumed)."""
        if not self.state.done or self.state.response is None:
            raise IncompleteStreamError(
                "The stream has not finished: iterate it (or call until_done()) first.",
                response=self.state.response,
            )
        return self.state.response


class ResponseStream(_StreamCore):
    """Iterate typed events; ``get_final_response()`` / ``output_text`` once done.

    Closing it (or leaving its ``with`` block) closes the connection at once.
    """

    def __init__(self, transport: SyncTransport, spec: RequestSpec) -> None:
        super().__init__(spec)
        self._transport = transport
        self._source: SyncEventSource | None = None
        self._reads: Generator[Iterator[ResponseStreamEvent]] | None = None
        self._batches: Generator[list[ResponseStreamEvent]] | None = None
        self._iterator: Generator[ResponseStreamEvent] | None = None

    def open(self) -> ResponseStream:
        """Send the request now (retried until the first event), so errors raise here."""
        if self._source is None:
            try:
                self._source = self._transport.stream(self.spec)
            except APIError as exc:
                if self._resumes:
                    raise self._resume_failed(exc) from exc
                raise
            self.state.request_id = self._source.request_id
        return self

    def __iter__(self) -> Iterator[ResponseStreamEvent]:
        if self._iterator is None:
            self._iterator = (event for batch in self.batches() for event in batch)
        return self._iterator

    def batches(self) -> Generator[list[ResponseStreamEvent]]:
        """The events grouped by the network read that brought them (for cheap chunking)."""
        if self._batches is None:
            self._batches = self._listed()
        return self._batches

    def _listed(self) -> Generator[list[ResponseStreamEvent]]:
        for read in self.reads():
            if batch := list(read):
                yield batch

    def reads(self) -> Generator[Iterator[ResponseStreamEvent]]:
        """Like ``batches``, but each read's events are parsed only as they are taken.

        Take a read's events before asking for the next read: what is left is still applied
        to the response, but not handed out. A consumer that handles one event at a time then
        never keeps a whole read of parsed events alive (less memory, less garbage collection).
        """
        if self._reads is None:
            self._reads = self._run()
        return self._reads

    def _run(self) -> Generator[Iterator[ResponseStreamEvent]]:
        while True:
            source = self.open()._source
            assert source is not None
            try:
                for read in source:
                    events = self._typed(read)
                    yield events
                    self._settle(events)
                yield self._end(source)
                return
            except (APIConnectionError, IncompleteStreamError) as exc:
                if self.state.done:
                    return  # after the terminal event a broken or stalled tail loses nothing
                self.spec, self._source = self._resume_or_raise(exc), None
            finally:
                source.close()

    def until_done(self) -> ResponseStream:
        """Consume the rest of the stream."""
        for _ in self:
            pass
        return self

    def get_final_response(self) -> Response:
        """The final response, consuming the stream first if needed."""
        return self.until_done().final()

    def close(self) -> None:
        """Stop streaming and close the connection."""
        for iterator in (self._iterator, self._batches, self._reads):
            if iterator is not None:
                iterator.close()
        if self._source is not None:
            self._source.close()

    def __enter__(self) -> ResponseStream:
        return self.open()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncResponseStream(_StreamCore):
    """Async twin of ``ResponseStream``."""

    def __init__(self, transport: AsyncTransport, spec: RequestSpec) -> None:
        super().__init__(spec)
        self._transport = transport
        self._source: AsyncEventSource | None = None
        self._reads: AsyncGenerator[Iterator[ResponseStreamEvent]] | None = None
        self._batches: AsyncGenerator[list[ResponseStreamEvent]] | None = None
        self._iterator: AsyncGenerator[ResponseStreamEvent] | None = None

    async def open(self) -> AsyncResponseStream:
        """Send the request now (retried until the first event), so errors raise here."""
        if self._source is None:
            try:
                self._source = await self._transport.stream(self.spec)
            except APIError as exc:
                if self._resumes:
                    raise self._resume_failed(exc) from exc
                raise
            self.state.request_id = self._source.request_id
        return self

    def __aiter__(self) -> AsyncIterator[ResponseStreamEvent]:
        if self._iterator is None:
            self._iterator = self._flat()
        return self._iterator

    async def _flat(self) -> AsyncGenerator[ResponseStreamEvent]:
        async for batch in self.batches():
            for event in batch:
                yield event

    def batches(self) -> AsyncGenerator[list[ResponseStreamEvent]]:
        """The events grouped by the network read that brought them (for cheap chunking)."""
        if self._batches is None:
            self._batches = self._listed()
        return self._batches

    async def _listed(self) -> AsyncGenerator[list[ResponseStreamEvent]]:
        async for read in self.reads():
            if batch := list(read):
                yield batch

    def reads(self) -> AsyncGenerator[Iterator[ResponseStreamEvent]]:
        """Like ``batches``, but each read's events are parsed only as they are taken.

        Take a read's events before asking for the next read (see ``ResponseStream.reads``).
        """
        if self._reads is None:
            self._reads = self._run()
        return self._reads

    async def _run(self) -> AsyncGenerator[Iterator[ResponseStreamEvent]]:
        while True:
            source = (await self.open())._source
            assert source is not None
            try:
                async for read in source:
                    events = self._typed(read)
                    yield events
                    self._settle(events)
                yield self._end(source)
                return
            except (APIConnectionError, IncompleteStreamError) as exc:
                if self.state.done:
                    return  # after the terminal event a broken or stalled tail loses nothing
                self.spec, self._source = self._resume_or_raise(exc), None
            finally:
                await source.aclose()

    async def until_done(self) -> AsyncResponseStream:
        """Consume the rest of the stream."""
        async for _ in self:
            pass
        return self

    async def get_final_response(self) -> Response:
        """The final response, consuming the stream first if needed."""
        return (await self.until_done()).final()

    async def close(self) -> None:
        """Stop streaming and close the connection."""
        for iterator in (self._iterator, self._batches, self._reads):
            if iterator is not None:
                await iterator.aclose()
        if self._source is not None:
            await self._source.aclose()

    async def __aenter__(self) -> AsyncResponseStream:
        return await self.open()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
