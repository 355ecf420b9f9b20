"""The pytest plugin in tests/support/fixtures.py (loaded here as `tests/conftest.py` will)."""

from __future__ import annotations

from pathlib import Path

# The support tests talk to the server with a raw client on purpose.
import httpx

from tests.support.recordings import Recording
from tests.support.server import Reply, ScriptedServer

pytest_plugins = ["tests.support.fixtures"]


def test_scripted_server_fixture(scripted_server: ScriptedServer) -> None:
    scripted_server.enqueue(Reply(json={"id": "resp_1"}))

    with httpx.Client(base_url=scripted_server.base_url, trust_env=False) as http:
        assert http.post("/responses", json={}).json() == {"id": "resp_1"}

    assert scripted_server.requests[0].path == "/v1/responses"


def test_each_test_gets_a_fresh_server(scripted_server: ScriptedServer) -> None:
    assert scripted_server.requests == []
    assert scripted_server.pending == 0


def test_recordings_fixture(recordings: tuple[Recording, ...]) -> None:
    assert len(recordings) == 164


def test_shared_dir_fixture(shared_dir: Path) -> None:
    assert (shared_dir / "fixtures" / "recorded" / "README.md").is_file()
