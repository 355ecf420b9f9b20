"""langchain-responses: the OpenAI Responses API (/v1/responses) for LangChain."""

from langchain_responses.client import AsyncResponsesClient, ResponsesClient
from langchain_responses.errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ContextOverflowError,
    IncompleteStreamError,
    InternalServerError,
    InvalidRequestError,
    NotFoundError,
    RateLimitError,
    ResponseFailedError,
    ResponsesError,
    StreamError,
    StreamEventError,
    StreamTimeoutError,
)

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncResponsesClient",
    "AuthenticationError",
    "BadRequestError",
    "ContextOverflowError",
    "IncompleteStreamError",
    "InternalServerError",
    "InvalidRequestError",
    "NotFoundError",
    "RateLimitError",
    "ResponseFailedError",
    "ResponsesClient",
    "ResponsesError",
    "StreamError",
    "StreamEventError",
    "StreamTimeoutError",
]
