"""The error tree.

Every error this package raises derives from ``ResponsesError``. HTTP and stream errors also
derive from the matching ``langchain_core.exceptions`` class, so code written against LangChain's
provider-neutral errors (``ModelRateLimitError``, ``ContextOverflowError`` …) catches ours too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from langchain_core import exceptions as lc

if TYPE_CHECKING:
    from langchain_responses._wire.response import Response

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "ContextOverflowError",
    "FileProcessingError",
    "IncompleteStreamError",
    "InternalServerError",
    "InvalidRequestError",
    "MalformedEventError",
    "MissingAPIKeyError",
    "ModelNotFoundError",
    "NotFoundError",
    "PermissionDeniedError",
    "PollTimeoutError",
    "QuotaExceededError",
    "RateLimitError",
    "ResponseFailedError",
    "ResponsesError",
    "StreamError",
    "StreamEventError",
    "StreamTimeoutError",
    "UnprocessableEntityError",
]

CONTEXT_OVERFLOW_CODES = frozenset({"context_length_exceeded", "context_window_exceeded"})
"""Error codes (never message text) that mean the input did not fit the model's context."""


class ResponsesError(Exception):
    """Base class of every error raised by langchain-responses."""


class InvalidRequestError(ResponsesError, ValueError):
    """Bad input caught before any request was sent; the message says what to change."""


class MissingAPIKeyError(InvalidRequestError, lc.ModelAuthenticationError):
    """No API key was configured and none was found in the environment."""


class APIError(ResponsesError):
    """An error reported by (or while talking to) the server.

    Attributes carry what the server said: ``code``, ``param``, ``type``, and the
    ``x-request-id`` of the failed call, which OpenAI support asks for.
    """

    def __init__(
        self,
        message: str,
        *,
        request_id: str | None = None,
        code: str | None = None,
        param: str | None = None,
        type: str | None = None,
        body: object = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.request_id = request_id
        self.code = code
        self.param = param
        self.type = type
        self.body = body

    def __str__(self) -> str:
        parts = [self.message]
        if self.code:
            parts.append(f"code={self.code}")
        if self.param:
            parts.append(f"param={self.param}")
        if self.request_id:
            parts.append(f"request_id={self.request_id}")
        return parts[0] if len(parts) == 1 else f"{parts[0]} ({', '.join(parts[1:])})"


class APIConnectionError(APIError, lc.ModelConnectionError):
    """The server could not be reached, or the connection broke before a response."""


class APITimeoutError(APIConnectionError, lc.ModelTimeoutError):
    """The request timed out (connect, read, write or pool)."""


class APIStatusError(APIError):
    """The server answered with a 4xx/5xx status."""

    status_code: ClassVar[int | None] = None

    def __init__(
        self,
        message: str,
        *,
        status: int,
        headers: Mapping[str, str] | None = None,
        **details: Any,
    ) -> None:
        super().__init__(message, **details)
        self.status = status
        self.headers = dict(headers or {})

    def __str__(self) -> str:
        return f"Error {self.status}: {super().__str__()}"


class BadRequestError(APIStatusError, lc.ModelInvalidRequestError):
    """400: the server rejected the request."""

    status_code = 400


class ContextOverflowError(BadRequestError, lc.ContextOverflowError):
    """400 with a context-length code: the input does not fit the model's context window."""


class ModelNotFoundError(BadRequestError, lc.ModelNotFoundError):
    """400 ``model_not_found``: the model name is unknown to the server."""


class AuthenticationError(APIStatusError, lc.ModelAuthenticationError):
    """401: the API key was missing, wrong or revoked."""

    status_code = 401


class PermissionDeniedError(APIStatusError, lc.ModelPermissionDeniedError):
    """403: the key has no access to this model or resource."""

    status_code = 403


class NotFoundError(APIStatusError, lc.ModelNotFoundError):
    """404: unknown, expired or unstored response, conversation or item."""

    status_code = 404


class ConflictError(APIStatusError):
    """409: a conflicting request is in flight (retried by default)."""

    status_code = 409


class UnprocessableEntityError(APIStatusError, lc.ModelInvalidRequestError):
    """422: the request is well-formed but semantically invalid."""

    status_code = 422


class RateLimitError(APIStatusError, lc.ModelRateLimitError):
    """429: too many requests or tokens; retried after the server's ``Retry-After``."""

    status_code = 429


class QuotaExceededError(RateLimitError):
    """429 ``insufficient_quota``: credit or budget exhausted; waiting will not help."""

    is_retryable = False


class InternalServerError(APIStatusError, lc.ModelAPIError):
    """5xx: the server failed; retried with backoff."""


class StreamError(APIError):
    """A streamed response went wrong after it started.

    ``response`` is what had been accumulated when the stream broke (its ``id`` and the
    partial ``output``), so nothing received is lost; ``partial_text`` is its output text.
    """

    def __init__(self, message: str, *, response: Response | None = None, **details: Any) -> None:
        super().__init__(message, **details)
        self.response = response

    @property
    def response_id(self) -> str | None:
        """The id of the response that was streaming, when the server had sent it."""
        return self.response.id if self.response is not None else None

    @property
    def partial_text(self) -> str:
        """The output text received before the stream broke."""
        return self.response.output_text if self.response is not None else ""


class IncompleteStreamError(StreamError, lc.ModelConnectionError):
    """The stream ended (or the connection dropped) before a terminal event."""


class StreamTimeoutError(IncompleteStreamError, lc.ModelTimeoutError):
    """No event arrived within the read timeout while streaming."""


class MalformedEventError(StreamError):
    """An event's ``data`` was not valid JSON."""


class StreamEventError(StreamError, lc.ModelAPIError):
    """The server sent an ``error`` event."""


class ResponseFailedError(StreamError, lc.ModelAPIError):
    """The response ended with status ``failed`` (``response.failed`` or a failed poll)."""


class FileProcessingError(APIError):
    """A vector store file, batch or store ended ``failed``, ``cancelled`` or ``expired``.

    ``result`` is the last object the server returned (read its ``last_error`` or
    ``file_counts``).
    """

    def __init__(self, message: str, *, result: object, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.result = result


class PollTimeoutError(ResponsesError, TimeoutError):
    """Processing did not finish within ``poll_timeout``; ``result`` is the last state seen."""

    def __init__(self, message: str, *, result: object) -> None:
        super().__init__(message)
        self.result = result
