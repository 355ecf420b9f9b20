"""Where the integration suites send their requests: a local llmock server, or the live API.

``LANGCHAIN_RESPONSES_LIVE=1`` together with ``OPENAI_API_KEY`` switches every suite to the
live endpoint (model from ``LANGCHAIN_RESPONSES_LIVE_MODEL``, default ``gpt-4.1-mini``); CI
runs against llmock, started and stopped by the tests themselves.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from langchain_responses.chat_model import ChatResponses

if TYPE_CHECKING:
    from llmock.pytest_plugin import LLMock
    from llmock.testing import LLMockServer

LIVE = os.environ.get("LANGCHAIN_RESPONSES_LIVE") == "1" and bool(os.environ.get("OPENAI_API_KEY"))
LIVE_MODEL = os.environ.get("LANGCHAIN_RESPONSES_LIVE_MODEL", "gpt-4.1-mini")
LIVE_REASONING_MODEL = os.environ.get("LANGCHAIN_RESPONSES_LIVE_REASONING_MODEL", "o4-mini")
MOCK_MODEL = "gpt-4.1-mini"
"""llmock answers as whatever model is asked for; the live default keeps both runs alike."""
MOCK_API_KEY = "llmock-integration-key"
"""A dummy key: llmock accepts any, and it is useless anywhere else."""
RESPONSES_PATH = "/v1/responses"

llmock_only = pytest.mark.skipif(LIVE, reason="needs llmock: scripted faults and its journal")


class RequestLog:
    """Request bodies seen client-side (the live API has no journal to read them back from)."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        self._clients: list[httpx.Client] = []
        self._async_clients: list[httpx.AsyncClient] = []

    def _record(self, request: httpx.Request) -> None:
        if request.method == "POST" and request.url.path.endswith("/responses"):
            self.bodies.append(json.loads(request.content or b"{}"))

    def sync_client(self) -> httpx.Client:
        client = httpx.Client(event_hooks={"request": [self._record]}, timeout=None)
        self._clients.append(client)
        return client

    def async_client(self) -> httpx.AsyncClient:
        async def record(request: httpx.Request) -> None:
            self._record(request)

        client = httpx.AsyncClient(event_hooks={"request": [record]}, timeout=None)
        self._async_clients.append(client)
        return client

    async def aclose(self) -> None:
        """Close the recording clients (models never close a client they were given)."""
        for client in self._clients:
            client.close()
        for async_client in self._async_clients:
            await async_client.aclose()
        self._clients.clear()
        self._async_clients.clear()


@dataclass
class Backend:
    """The endpoint the tests talk to, and how to read back what it received."""

    live: bool
    model_name: str
    base_url: str | None
    api_key: str
    server: LLMockServer | None = None
    log: RequestLog = field(default_factory=RequestLog)

    @property
    def mock(self) -> LLMock:
        """The llmock handle (scripting, faults, journal, verdict); llmock runs only."""
        from llmock.pytest_plugin import LLMock

        if self.server is None:
            pytest.skip("needs llmock: scripted replies and faults do not exist live")
        return LLMock(self.server)

    def params(self, **overrides: Any) -> dict[str, Any]:
        """Explicit connection settings: nothing is taken from the environment."""
        params: dict[str, Any] = {"model": self.model_name, "api_key": self.api_key}
        if self.base_url is not None:
            params["base_url"] = self.base_url
        return {**params, **overrides}

    def chat(self, **overrides: Any) -> ChatResponses:
        """A model whose requests can be read back with :meth:`bodies` (live runs too)."""
        if self.live:
            overrides.setdefault("http_client", self.log.sync_client())
            overrides.setdefault("http_async_client", self.log.async_client())
        return ChatResponses(**self.params(**overrides))

    async def release(self, *models: ChatResponses) -> None:
        """Close ``models`` and the clients made for them, on the test's event loop."""
        for model in models:
            await model.aclose()
        await self.log.aclose()

    def bodies(self) -> list[dict[str, Any]]:
        """Every ``POST /v1/responses`` body of this test, in order."""
        if self.server is None:
            return list(self.log.bodies)
        return [
            record.body
            for record in self.mock.requests
            if record.path == RESPONSES_PATH and record.method == "POST"
        ]

    def admin(self, path: str) -> Any:
        """``GET /_llmock/<path>`` from llmock's admin API (verdict, requests, scenario)."""
        if self.server is None:
            pytest.skip("needs llmock: the live API has no admin endpoints")
        response = httpx.get(f"{self.server.url}/_llmock/{path}", timeout=10.0)
        response.raise_for_status()
        return response.json()

    def pending(self) -> list[Any]:
        """Scripted behaviours not consumed yet."""
        return list(self.admin("scenario")["pending"])

    def reset(self) -> None:
        """Forget the previous test's requests, scripted behaviours and settings."""
        self.log.bodies.clear()
        if self.server is not None:
            self.mock.reset()


_active: Backend | None = None


def activate(backend: Backend | None) -> None:
    """Make ``backend`` the one :func:`active` returns (set by the session fixture)."""
    global _active  # noqa: PLW0603 - one endpoint per session, read by property-based suites
    _active = backend


def active() -> Backend:
    """The session's backend, for code that cannot take fixtures (standard-suite properties)."""
    if _active is None:
        raise RuntimeError("The `backend` fixture has not started yet")
    return _active
