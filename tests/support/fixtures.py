"""Pytest plugin: `pytest_plugins = ["tests.support.fixtures"]` in `tests/conftest.py`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import paths
from tests.support.recordings import Recording, load_recordings
from tests.support.server import ScriptedServer


@pytest.fixture
def scripted_server() -> Iterator[ScriptedServer]:
    """A started `ScriptedServer`; the test fails if the server recorded an error."""
    with ScriptedServer() as server:
        yield server
    server.check()


@pytest.fixture(scope="session")
def recordings() -> tuple[Recording, ...]:
    """Every recording in `shared/fixtures/recorded/`, sorted by name."""
    return load_recordings()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The project's `shared/` directory."""
    return paths.shared_dir()
