"""langchain-responses: the OpenAI Responses API (/v1/responses) for LangChain.

The clients and the chat model load on first use, so ``import langchain_responses`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from langchain_responses.errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ContextOverflowError,
    FileProcessingError,
    IncompleteStreamError,
    InternalServerError,
    InvalidRequestError,
    MalformedEventError,
    MissingAPIKeyError,
    ModelNotFoundError,
    NotFoundError,
    PermissionDeniedError,
    PollTimeoutError,
    QuotaExceededError,
    RateLimitError,
    ResponseFailedError,
    ResponsesError,
    StreamError,
    StreamEventError,
    StreamTimeoutError,
    UnprocessableEntityError,
)

if TYPE_CHECKING:
    from langchain_responses.chat_model import ChatResponses
    from langchain_responses.client import AsyncResponsesClient, ResponsesClient

_HOMES = {
    "ChatResponses": "langchain_responses.chat_model",
    "ResponsesClient": "langchain_responses.client",
    "AsyncResponsesClient": "langchain_responses.client",
}

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncResponsesClient",
    "AuthenticationError",
    "BadRequestError",
    "ChatResponses",
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
    "ResponsesClient",
    "ResponsesError",
    "StreamError",
    "StreamEventError",
    "StreamTimeoutError",
    "UnprocessableEntityError",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'langchain_responses' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
