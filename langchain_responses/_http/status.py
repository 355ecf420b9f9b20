"""The one place that turns httpx failures and error responses into our error tree."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx

from langchain_responses import errors

_BY_STATUS: dict[int, type[errors.APIStatusError]] = {
    400: errors.BadRequestError,
    401: errors.AuthenticationError,
    403: errors.PermissionDeniedError,
    404: errors.NotFoundError,
    409: errors.ConflictError,
    422: errors.UnprocessableEntityError,
    429: errors.RateLimitError,
}


def transport_error(exc: httpx.HTTPError) -> errors.APIConnectionError:
    """Map an httpx exception (connect, read, timeout, protocol) to ours."""
    detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return errors.APITimeoutError(f"Request timed out ({detail})")
    return errors.APIConnectionError(f"Connection error ({detail})")


def status_error(status: int, headers: Mapping[str, str], content: bytes) -> errors.APIStatusError:
    """The typed error for a non-2xx response, carrying the server's message, code and id."""
    body = _parse_body(content)
    detail = _error_object(body)
    message = _text(detail.get("message")) or _fallback_message(status, content)
    code = _text(detail.get("code"))
    cls = _error_class(status, code)
    return cls(
        message,
        status=status,
        headers=headers,
        request_id=headers.get("x-request-id"),
        code=code,
        param=_text(detail.get("param")),
        type=_text(detail.get("type")),
        body=body,
    )


def _error_class(status: int, code: str | None) -> type[errors.APIStatusError]:
    if status == 400 and code in errors.CONTEXT_OVERFLOW_CODES:
        return errors.ContextOverflowError
    if status == 400 and code == "model_not_found":
        return errors.ModelNotFoundError
    if status == 429 and code == "insufficient_quota":
        return errors.QuotaExceededError
    if status >= 500:
        return errors.InternalServerError
    return _BY_STATUS.get(status, errors.APIStatusError)


def _parse_body(content: bytes) -> Any:
    try:
        return json.loads(content) if content else None
    except ValueError:
        return content.decode("utf-8", "replace")


def _error_object(body: Any) -> dict[str, Any]:
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict):
            return inner
        if isinstance(inner, str):
            return {"message": inner}
    return {}


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _fallback_message(status: int, content: bytes) -> str:
    snippet = content[:200].decode("utf-8", "replace").strip()
    reason = httpx.codes.get_reason_phrase(status) or "HTTP error"
    return f"{reason}: {snippet}" if snippet else reason
