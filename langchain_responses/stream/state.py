"""The state of one streamed response, shared by the sync and async streams (sans-I/O).

It turns decoded SSE events into typed events, keeps the accumulated response, remembers the
resume cursor, and decides what a failure means: an ``error`` event, ``response.failed``, a
stream that ends without a terminal event, or a dropped connection each raise a typed error that
carries the partial response. Nothing received is lost and nothing looks like a short success.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from langchain_responses import errors
from langchain_responses._http.sse import ServerSentEvent
from langchain_responses._wire import events as ev
from langchain_responses._wire.events import parse_event
from langchain_responses._wire.response import Response
from langchain_responses.stream.response import ResponseAccumulator

_TERMINAL = (ev.ResponseCompletedEvent, ev.ResponseIncompleteEvent, ev.ResponseFailedEvent)


class ResponseStreamState:
    """Feed it SSE events; it yields typed events and raises typed stream errors."""

    def __init__(self, request_id: str | None = None) -> None:
        self.request_id = request_id
        self.accumulator = ResponseAccumulator()
        self.last_sequence: int | None = None
        self.resume_floor: int | None = None
        """After a resume, events at or below this sequence number are duplicates."""
        self.terminal: ev.ResponseStreamEvent | None = None

    @property
    def response(self) -> Response | None:
        """The response accumulated so far (final once the stream is done)."""
        return self.accumulator.snapshot

    @property
    def done(self) -> bool:
        """Whether a terminal event arrived."""
        return self.terminal is not None

    def feed(self, sse: ServerSentEvent) -> ev.ResponseStreamEvent | None:
        """The typed event for ``sse`` (None for ``[DONE]`` and resumed duplicates)."""
        if sse.data.startswith("[DONE]"):
            return None
        event = self._parse(sse)
        seq = event.sequence_number
        if seq is not None:
            if self.resume_floor is not None and seq <= self.resume_floor:
                return None
            self.last_sequence = seq
        self.accumulator.apply(event)
        self._check(event)
        return event

    def feed_json_body(self, body: bytes) -> ev.ResponseStreamEvent:
        """A server that answered a stream request with plain JSON: one terminal event."""
        try:
            response = Response.model_validate_json(body)
        except ValidationError as exc:
            raise errors.MalformedEventError(
                f"Expected an event stream, got a body that is not a response: {body[:200]!r}",
                request_id=self.request_id,
            ) from exc
        event_type = _TERMINAL_BY_STATUS.get(response.status or "", ev.ResponseCompletedEvent)
        event: ev.ResponseStreamEvent = event_type(response=response)
        self.accumulator.apply(event)
        self._check(event)
        return event

    def finish(self) -> None:
        """End of the byte stream: raise if no terminal event arrived."""
        if self.terminal is None:
            raise errors.IncompleteStreamError(
                "The stream ended before the response finished (no response.completed, "
                "response.incomplete or response.failed event); the output is partial.",
                response=self.response,
                request_id=self.request_id,
            )

    def interrupted(self, exc: errors.APIConnectionError) -> errors.StreamError:
        """The stream error for a connection that broke or timed out mid-stream."""
        if isinstance(exc, errors.APITimeoutError):
            return errors.StreamTimeoutError(
                f"No data arrived within the read timeout while streaming ({exc.message})",
                response=self.response,
                request_id=self.request_id,
            )
        return errors.IncompleteStreamError(
            f"The connection was lost while streaming ({exc.message}); the output is partial.",
            response=self.response,
            request_id=self.request_id,
        )

    def resumable_from(self) -> tuple[str, int] | None:
        """``(response id, cursor)`` when a broken stream can be resumed (background only)."""
        response = self.response
        if response is None or not response.background or self.last_sequence is None:
            return None
        return response.id, self.last_sequence

    def _parse(self, sse: ServerSentEvent) -> ev.ResponseStreamEvent:
        try:
            return parse_event(sse.data, sse.event)
        except ValidationError as exc:
            return self._lenient(sse, exc)

    def _lenient(self, sse: ServerSentEvent, exc: ValidationError) -> ev.ResponseStreamEvent:
        """Valid JSON that does not fit its declared type passes through as an unknown event."""
        try:
            data: Any = json.loads(sse.data)
        except ValueError:
            raise errors.MalformedEventError(
                f"A stream event is not valid JSON (event {sse.event or 'message'}): "
                f"{sse.data[:200]!r}",
                response=self.response,
                request_id=self.request_id,
            ) from exc
        if not isinstance(data, dict):
            data = {"data": data}
        data.setdefault("type", sse.event or "message")
        return ev.UnknownEvent.model_validate(data)

    def _check(self, event: ev.ResponseStreamEvent) -> None:
        if isinstance(event, ev.ErrorEvent):
            raise errors.StreamEventError(
                event.error_message or "The server reported an error mid-stream",
                code=event.error_code,
                param=event.error_param,
                type=event.error_type,
                response=self.response,
                request_id=self.request_id,
            )
        if isinstance(event, _TERMINAL):
            self.terminal = event
        if isinstance(event, ev.ResponseFailedEvent):
            error = event.response.error
            raise errors.ResponseFailedError(
                (error.message if error else None) or "The response failed",
                code=str(error.code) if error and error.code is not None else None,
                response=self.response,
                request_id=self.request_id,
            )


_TERMINAL_BY_STATUS: dict[str, Any] = {
    "completed": ev.ResponseCompletedEvent,
    "incomplete": ev.ResponseIncompleteEvent,
    "failed": ev.ResponseFailedEvent,
}
