"""The integration suites' endpoint: llmock started in-process, or the live API on request.

llmock's own pytest plugin offers an ``llmock`` fixture that points SDKs at it through
environment variables; these suites do not use it. Every model here gets an explicit
``base_url`` and ``api_key``, and ``OPENAI_*`` variables are removed for llmock runs, so
nothing reaches a real endpoint by accident.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from llmock.testing import LLMockServer

from integration_tests._backend import (
    LIVE,
    LIVE_MODEL,
    MOCK_API_KEY,
    MOCK_MODEL,
    Backend,
    activate,
)

_OPENAI_ENV = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Live runs need the network, which the project's pytest options otherwise block."""
    if not LIVE:
        return
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.enable_socket)


@pytest.fixture(scope="session")
def llmock_server() -> Iterator[LLMockServer]:
    """One real llmock server (a socket on 127.0.0.1) for the whole session."""
    with LLMockServer() as server:
        yield server


@pytest.fixture(scope="session")
def backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    """The endpoint of this session: llmock, or the live API when asked for."""
    if LIVE:
        chosen = Backend(
            live=True,
            model_name=LIVE_MODEL,
            base_url=os.environ.get("OPENAI_BASE_URL") or None,
            api_key=os.environ["OPENAI_API_KEY"],
        )
    else:
        server: LLMockServer = request.getfixturevalue("llmock_server")
        chosen = Backend(
            live=False,
            model_name=MOCK_MODEL,
            base_url=server.base_url("openai"),
            api_key=MOCK_API_KEY,
            server=server,
        )
    activate(chosen)
    yield chosen
    activate(None)


@pytest.fixture(autouse=True)
def _isolated(backend: Backend, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh llmock (no requests, behaviours or settings left over) and no OPENAI_* env."""
    if not backend.live:
        for name in _OPENAI_ENV:
            monkeypatch.delenv(name, raising=False)
    backend.reset()
