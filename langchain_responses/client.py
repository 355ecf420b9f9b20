"""``ResponsesClient`` and ``AsyncResponsesClient``: a small typed client over /v1/responses."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING

import httpx
from typing_extensions import TypedDict, Unpack

from langchain_responses._http.config import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    AsyncTokenProvider,
    ClientConfig,
    TokenProvider,
    resolve_config,
)
from langchain_responses._http.transport import AsyncTransport, SyncTransport
from langchain_responses.resources.responses import AsyncResponses, Responses

if TYPE_CHECKING:
    from langchain_responses.resources.conversations import AsyncConversations, Conversations
    from langchain_responses.resources.files import AsyncFiles, Files
    from langchain_responses.resources.vector_stores import AsyncVectorStores, VectorStores

__all__ = ["AsyncResponsesClient", "ClientSettings", "ResponsesClient"]


class ClientSettings(TypedDict, total=False):
    """Constructor settings shared by both clients."""

    api_key: str | None
    """Defaults to ``OPENAI_API_KEY``; a missing key is an error at the first request."""
    base_url: str | None
    """Defaults to ``OPENAI_BASE_URL``, then ``https://api.openai.com/v1``."""
    organization: str | None
    """Defaults to ``OPENAI_ORG_ID``."""
    project: str | None
    """Defaults to ``OPENAI_PROJECT_ID``."""
    timeout: float | httpx.Timeout | None
    """Seconds (or an ``httpx.Timeout``); default 600 s with a 5 s connect timeout."""
    max_retries: int
    """Default 2."""
    default_headers: Mapping[str, str] | None
    default_query: Mapping[str, object] | None
    api_key_header: str
    """``authorization`` (Bearer, the default) or e.g. ``api-key`` for Azure."""
    token_provider: TokenProvider | None
    """A callable returning a fresh token per request (e.g. Entra ID for Azure)."""
    async_token_provider: AsyncTokenProvider | None


class _ClientSettings:
    """Construction shared by both clients; the key never appears in ``repr``."""

    config: ClientConfig

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        organization: str | None = None,
        project: str | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        api_key_header: str = "authorization",
        token_provider: TokenProvider | None = None,
        async_token_provider: AsyncTokenProvider | None = None,
    ) -> None:
        self.config = resolve_config(
            api_key=api_key,
            base_url=base_url,
            organization=organization,
            project=project,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            api_key_header=api_key_header,
            token_provider=token_provider,
            async_token_provider=async_token_provider,
        )

    @property
    def base_url(self) -> str:
        """The API root requests go to, e.g. ``https://api.openai.com/v1``."""
        return self.config.base_url

    @property
    def max_retries(self) -> int:
        """Retries after a failed attempt (connection errors, 408/409/429/5xx)."""
        return self.config.max_retries

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, api_key='**********')"


class ResponsesClient(_ClientSettings):
    """Sync client. ``api_key`` etc. default to the ``OPENAI_*`` environment variables.

    Azure: ``base_url=".../openai/v1", api_key_header="api-key"`` (or a ``token_provider``).
    """

    def __init__(
        self, *, http_client: httpx.Client | None = None, **settings: Unpack[ClientSettings]
    ) -> None:
        super().__init__(**settings)
        self._transport = SyncTransport(self.config, http_client)
        self.responses = Responses(self._transport)

    @functools.cached_property
    def conversations(self) -> Conversations:
        """``client.conversations`` (loaded on first use, like files and vector stores)."""
        from langchain_responses.resources.conversations import Conversations

        return Conversations(self._transport)

    @functools.cached_property
    def files(self) -> Files:
        """``client.files``: upload, list, retrieve, delete."""
        from langchain_responses.resources.files import Files

        return Files(self._transport)

    @functools.cached_property
    def vector_stores(self) -> VectorStores:
        """``client.vector_stores``: stores, their files and file batches, search."""
        from langchain_responses.resources.vector_stores import VectorStores

        return VectorStores(self._transport)

    def close(self) -> None:
        """Close the connection pool (not a user-supplied ``http_client``)."""
        self._transport.close()

    def __enter__(self) -> ResponsesClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncResponsesClient(_ClientSettings):
    """Async client; the twin of ``ResponsesClient``."""

    def __init__(
        self, *, http_client: httpx.AsyncClient | None = None, **settings: Unpack[ClientSettings]
    ) -> None:
        super().__init__(**settings)
        self._transport = AsyncTransport(self.config, http_client)
        self.responses = AsyncResponses(self._transport)

    @functools.cached_property
    def conversations(self) -> AsyncConversations:
        """``client.conversations`` (loaded on first use, like files and vector stores)."""
        from langchain_responses.resources.conversations import AsyncConversations

        return AsyncConversations(self._transport)

    @functools.cached_property
    def files(self) -> AsyncFiles:
        """``client.files``: upload, list, retrieve, delete."""
        from langchain_responses.resources.files import AsyncFiles

        return AsyncFiles(self._transport)

    @functools.cached_property
    def vector_stores(self) -> AsyncVectorStores:
        """``client.vector_stores``: stores, their files and file batches, search."""
        from langchain_responses.resources.vector_stores import AsyncVectorStores

        return AsyncVectorStores(self._transport)

    async def aclose(self) -> None:
        """Close the connection pool (not a user-supplied ``http_client``)."""
        await self._transport.aclose()

    close = aclose

    async def __aenter__(self) -> AsyncResponsesClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
