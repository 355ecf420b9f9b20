"""Client settings: where to send requests, how to authenticate, how long to wait."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

import httpx

from langchain_responses.errors import MissingAPIKeyError

DEFAULT_BASE_URL = "https://api.openai.com/v1"
DEFAULT_TIMEOUT = httpx.Timeout(600.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2
API_KEY_ENV = "OPENAI_API_KEY"

TimeoutLike = float | httpx.Timeout | None
TokenProvider = Callable[[], str]
AsyncTokenProvider = Callable[[], Awaitable[str]]


def to_timeout(value: TimeoutLike) -> httpx.Timeout:
    """A float is the total timeout in seconds (connect stays capped at 5 s); None waits forever."""
    if isinstance(value, httpx.Timeout):
        return value
    if value is None:
        return httpx.Timeout(None)
    return httpx.Timeout(value, connect=min(float(value), DEFAULT_TIMEOUT.connect or 5.0))


class Credentials:
    """The API key (or a token provider) and the header that carries it.

    The secret is held privately and never shown: not in ``repr``, errors or logs.
    """

    __slots__ = ("_async_provider", "_key", "_provider", "header")

    def __init__(
        self,
        api_key: str | None,
        *,
        header: str = "authorization",
        token_provider: TokenProvider | None = None,
        async_token_provider: AsyncTokenProvider | None = None,
    ) -> None:
        self._key = api_key
        self._provider = token_provider
        self._async_provider = async_token_provider
        self.header = header.lower()

    def __repr__(self) -> str:
        return f"Credentials(header={self.header!r}, api_key='**********')"

    def headers(self) -> dict[str, str]:
        """Auth headers for a sync request."""
        token = self._provider() if self._provider is not None else self._key
        return self._format(token)

    async def aheaders(self) -> dict[str, str]:
        """Auth headers for an async request (awaits an async token provider if set)."""
        if self._async_provider is not None:
            return self._format(await self._async_provider())
        return self.headers()

    def redact(self, data: bytes) -> bytes:
        """``data`` with the API key blanked out (a server may echo it in an error)."""
        key = self._key
        if not key or len(key) < 8 or key.encode() not in data:
            return data
        return data.replace(key.encode(), b"**********")

    def _format(self, token: str | None) -> dict[str, str]:
        if not token:
            raise MissingAPIKeyError(
                "No API key: pass api_key=... (or a token provider) to the client, "
                f"or set the {API_KEY_ENV} environment variable."
            )
        if self.header == "authorization":
            return {"authorization": f"Bearer {token}"}
        return {self.header: token}


@dataclass(frozen=True)
class ClientConfig:
    """Everything a transport needs to build and send requests."""

    base_url: str
    credentials: Credentials
    timeout: httpx.Timeout = field(default_factory=lambda: DEFAULT_TIMEOUT)
    max_retries: int = DEFAULT_MAX_RETRIES
    default_headers: Mapping[str, str] = field(default_factory=dict)
    default_query: Mapping[str, object] = field(default_factory=dict)


def resolve_config(
    *,
    api_key: str | None,
    base_url: str | None,
    organization: str | None,
    project: str | None,
    timeout: TimeoutLike,
    max_retries: int,
    default_headers: Mapping[str, str] | None,
    default_query: Mapping[str, object] | None,
    api_key_header: str = "authorization",
    token_provider: TokenProvider | None = None,
    async_token_provider: AsyncTokenProvider | None = None,
) -> ClientConfig:
    """Fill unset settings from ``OPENAI_*`` environment variables and validate them."""
    if max_retries < 0:
        raise ValueError(f"max_retries must be >= 0, got {max_retries}")
    headers = {"accept": "application/json"}
    org = organization or os.environ.get("OPENAI_ORG_ID")
    proj = project or os.environ.get("OPENAI_PROJECT_ID")
    if org:
        headers["openai-organization"] = org
    if proj:
        headers["openai-project"] = proj
    headers.update({k.lower(): v for k, v in (default_headers or {}).items()})
    key = api_key if api_key is not None else os.environ.get(API_KEY_ENV)
    url = base_url or os.environ.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL
    return ClientConfig(
        base_url=url.rstrip("/"),
        credentials=Credentials(
            key,
            header=api_key_header,
            token_provider=token_provider,
            async_token_provider=async_token_provider,
        ),
        timeout=to_timeout(timeout),
        max_retries=max_retries,
        default_headers=headers,
        default_query=dict(default_query or {}),
    )
