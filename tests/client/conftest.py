"""Fixtures for the client tests: both client modes against the scripted loopback server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from langchain_responses._http import retry
from tests.client._twin import Mode, Twin
from tests.support.server import ScriptedServer

OPENAI_ENV = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID")

MakeTwin = Callable[..., Twin]


@pytest.fixture(autouse=True)
def _clean_openai_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in OPENAI_ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> Mode:
    mode: Mode = request.param
    return mode


@pytest.fixture
async def make_twin(mode: Mode, scripted_server: ScriptedServer) -> AsyncIterator[MakeTwin]:
    """Build clients of the current mode pointed at the scripted server; closed afterwards."""
    made: list[Twin] = []

    def make(**settings: Any) -> Twin:
        settings.setdefault("base_url", scripted_server.base_url)
        twin = Twin(mode, **settings)
        made.append(twin)
        return twin

    yield make
    for twin in made:
        await twin.close()


@pytest.fixture
def twin(make_twin: MakeTwin) -> Twin:
    """A client of the current mode with default settings."""
    return make_twin()


@pytest.fixture
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Shrink the exponential backoff (the server-delay path is untouched)."""
    monkeypatch.setattr(retry, "backoff", lambda retries_taken: 0.01)
