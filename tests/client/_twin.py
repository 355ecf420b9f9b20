"""One test body for both clients.

Tests are ``async def``; the sync client is called inline (blocking is fine: the scripted
server runs on its own thread), the async client is awaited. ``mode`` picks which one.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterable, Iterable
from typing import Any, Literal

from langchain_responses import errors
from langchain_responses._wire.response import Response
from langchain_responses.client import AsyncResponsesClient, ResponsesClient

Mode = Literal["sync", "async"]
API_KEY = "sk-test-SECRET-0123456789abcdefXYZ"


class Twin:
    """A sync or async client behind one awaitable surface."""

    def __init__(self, mode: Mode, **settings: Any) -> None:
        self.mode = mode
        settings.setdefault("api_key", API_KEY)
        settings.setdefault("timeout", 5.0)
        self.client: ResponsesClient | AsyncResponsesClient
        if mode == "sync":
            self.client = ResponsesClient(**settings)
        else:
            self.client = AsyncResponsesClient(**settings)

    def method(self, dotted: str) -> Any:
        target: Any = self.client
        for name in dotted.split("."):
            target = getattr(target, name)
        return target

    async def call(self, dotted: str, *args: Any, **kwargs: Any) -> Any:
        """``client.<dotted>(*args, **kwargs)``, awaited when async."""
        result = self.method(dotted)(*args, **kwargs)
        return await result if inspect.isawaitable(result) else result

    async def collect(self, iterable: Iterable[Any] | AsyncIterable[Any]) -> list[Any]:
        """Every element of a sync or async iterable."""
        if isinstance(iterable, AsyncIterable):
            return [item async for item in iterable]
        return list(iterable)

    async def consume(self, stream: Any) -> tuple[list[Any], BaseException | None]:
        """The events of a stream until it ends or raises (the error is returned)."""
        events: list[Any] = []
        try:
            if isinstance(stream, AsyncIterable):
                async for event in stream:
                    events.append(event)
            else:
                events.extend(stream)
        except errors.ResponsesError as exc:
            return events, exc
        return events, None

    async def stream(self, *args: Any, **kwargs: Any) -> tuple[list[Any], BaseException | None]:
        """``responses.create(stream=True)`` consumed (errors at open time are returned too)."""
        try:
            stream = await self.call("responses.create", *args, stream=True, **kwargs)
        except errors.ResponsesError as exc:
            return [], exc
        return await self.consume(stream)

    async def managed_stream(self, **kwargs: Any) -> tuple[list[Any], Response, str]:
        """``responses.stream(...)`` as a context manager: events, final response, text."""
        stream = self.client.responses.stream(**kwargs)
        if self.mode == "sync":
            with stream as opened:  # type: ignore[union-attr]
                events = list(opened)
                return events, opened.get_final_response(), opened.output_text
        async with stream as aopened:  # type: ignore[union-attr]
            events = [event async for event in aopened]
            return events, await aopened.get_final_response(), aopened.output_text

    async def close(self) -> None:
        result = self.client.close()
        if inspect.isawaitable(result):
            await result
