"""The chat model's clients: one sync client, and one async client per event loop.

Clients are created on first use and reused, so calls share a connection pool. A pool the
model created is closed when nothing uses it any more (sync) or when its event loop shuts down
(async: pooled connections belong to the loop that opened them). A pool built on a
user-supplied ``httpx`` client is theirs to manage.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import weakref
from collections.abc import AsyncGenerator, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from langchain_responses.client import AsyncResponsesClient, ResponsesClient

Settings = Callable[[], dict[str, Any]]
"""The client's settings, ``http_client`` / ``http_async_client`` included (read on creation)."""


class ClientPools:
    """Create-on-first-use clients for one chat model; safe to use from several threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._client: ResponsesClient | None = None
        self._async_client: AsyncResponsesClient | None = None
        self._async_loop: asyncio.AbstractEventLoop | None = None
        self._async_owned = False
        self._closers: list[tuple[asyncio.AbstractEventLoop, AsyncGenerator[None]]] = []

    def sync(self, settings: Settings) -> ResponsesClient:
        """The sync client (created with ``settings()`` on first use)."""
        client = self._client
        if client is None:
            with self._lock:  # batch() calls from several threads at once
                if self._client is None:
                    self._client = _new_client(settings())
                client = self._client
        return client

    def async_(self, settings: Settings) -> AsyncResponsesClient:
        """The async client of the running event loop (a new loop gets a new pool)."""
        loop = _running_loop()
        client = self._async_client
        if client is None or self._stale(loop):
            with self._lock:
                if self._async_client is None or self._stale(loop):
                    self._async_client = self._new_async_client(settings(), loop)
                client = self._async_client
        return client

    def close(self) -> None:
        """Close the sync client's pool."""
        if self._client is not None:
            self._client.close()
            self._client = None

    async def aclose(self) -> None:
        """Close both clients' pools."""
        self.close()
        if self._async_client is not None:
            await self._async_client.aclose()
            self._async_client = None

    def _new_async_client(
        self, settings: dict[str, Any], loop: asyncio.AbstractEventLoop | None
    ) -> AsyncResponsesClient:
        from langchain_responses.client import AsyncResponsesClient

        client = AsyncResponsesClient(**settings)
        self._async_owned = settings.get("http_client") is None
        if self._async_owned and loop is not None:
            # Hold the closers while their loops live (collecting one would close its pool);
            # those of closed loops already ran, or can't run any more.
            alive = [(owner, held) for owner, held in self._closers if not owner.is_closed()]
            self._closers = [*alive, (loop, _close_when_loop_ends(client))]
        self._async_loop = loop
        return client

    def _stale(self, loop: asyncio.AbstractEventLoop | None) -> bool:
        """Whether a new event loop (asyncio.run again) needs a new pool of our own."""
        return (
            self._async_owned
            and loop is not None
            and self._async_loop is not None
            and loop is not self._async_loop
        )


def _new_client(settings: dict[str, Any]) -> ResponsesClient:
    from langchain_responses.client import ResponsesClient  # httpx's pool: on first use

    client = ResponsesClient(**settings)
    if settings.get("http_client") is None:
        # A model dropped without close() must not leak its pool's sockets: close the pool
        # once nothing (client, resource, open stream) uses its transport.
        transport = client._transport
        weakref.finalize(transport, transport.http.close)
    return client


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _close_when_loop_ends(client: AsyncResponsesClient) -> AsyncGenerator[None]:
    """Close ``client``'s pool while its event loop shuts down (the end of ``asyncio.run``).

    Pooled connections can't be closed once their loop is gone. A started async generator is
    the hook asyncio offers: the loop tracks it from its first step and ``shutdown_asyncgens``
    closes it, running the ``finally`` on the still-live loop. The caller keeps the returned
    generator referenced until the pool is no longer needed.
    """

    async def closer() -> AsyncGenerator[None]:
        try:
            yield
        finally:
            await client.aclose()

    generator = closer()
    # Run it to its ``yield``: nothing before it awaits, so the first step completes at once.
    with contextlib.suppress(StopIteration):
        generator.asend(None).send(None)
    return generator
