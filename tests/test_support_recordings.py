"""Loading the recorded traffic and playing it back over a real socket."""

from __future__ import annotations

import json
from pathlib import Path

# The support tests talk to the server with a raw client on purpose.
import httpx
import pytest

from tests.support import paths
from tests.support.recordings import (
    Recording,
    ReplayServer,
    load_recording,
    load_recordings,
    recordings_with,
    replay,
    split_evenly,
)
from tests.support.server import ScriptedServer

# --------------------------------------------------------------------------- loading


def test_every_file_loads_into_typed_records() -> None:
    recordings = load_recordings()

    assert len(recordings) == 164
    assert sum(len(r.interactions) for r in recordings) == 260
    assert [r.name for r in recordings] == sorted(r.name for r in recordings)
    for recording in recordings:
        assert recording.interactions, recording.name
        assert recording.source.count(":") >= 1
        for interaction in recording.interactions:
            response = interaction.response
            assert (response.body_json is None) != (response.body_sse is None)
            assert interaction.request.path.startswith("/v1/responses")
            assert "content-type" in response.headers


def test_loading_is_cached() -> None:
    assert load_recordings() is load_recordings()


def test_lookup_and_feature_filters() -> None:
    streamed = recordings_with("streaming")
    recording = load_recording("dd-trace-py__openai__response_stream.json")

    assert len(streamed) == 24
    assert all(r.has("streaming") for r in streamed)
    assert recording in streamed
    assert recording.interactions[0].response.is_stream
    assert not recordings_with("streaming", without=["streaming"])
    assert {r.name for r in recordings_with("non_openai_host")} >= {
        r.name for r in load_recordings() if set(r.hosts) - {"api.openai.com"}
    }
    with pytest.raises(KeyError):
        load_recording("no-such-recording")


# --------------------------------------------------------------------------- replay


def test_split_evenly() -> None:
    data = "héllo wörld".encode()

    pieces = split_evenly(data, 4)

    assert len(pieces) == 4
    assert b"".join(pieces) == data
    assert max(map(len, pieces)) - min(map(len, pieces)) <= 1
    assert split_evenly(b"ab", 5) == [b"a", b"b"]
    assert split_evenly(b"", 3) == [b""]


def _play(http: httpx.Client, recording: Recording) -> None:
    for interaction in recording.interactions:
        sent = interaction.request
        response = http.request(
            sent.method,
            sent.path,
            params=dict(sent.query),
            json=sent.body if sent.body is not None else None,
        )
        expected = interaction.response
        assert response.status_code == expected.status
        assert response.headers["content-type"] == expected.headers["content-type"]
        for name, value in expected.headers.items():
            assert response.headers[name] == value
        if expected.body_sse is not None:
            assert response.text == expected.body_sse
        else:
            assert response.json() == expected.body_json


def test_every_recording_replays_over_http() -> None:
    with ScriptedServer() as server, httpx.Client(base_url=server.origin, trust_env=False) as http:
        for number, recording in enumerate(load_recordings()):
            if number % 2:
                server.replay(recording)
            else:
                replay(server, recording)
            _play(http, recording)
        assert server.pending == 0
        assert len(server.requests) == 260
    server.check()


def test_replayed_stream_arrives_in_pieces() -> None:
    recording = recordings_with("streaming")[0]
    sse = recording.interactions[0].response.body_sse
    assert sse is not None

    with ReplayServer(recording, pieces=3) as server, httpx.Client(trust_env=False) as http:
        sent = recording.interactions[0].request
        with http.stream(sent.method, server.url(sent.path), json=sent.body) as response:
            assert response.headers["transfer-encoding"] == "chunked"
            pieces = list(response.iter_raw())
        assert server.recorded_request(0) == sent
        assert server.requests[0].json == sent.body

    assert b"".join(pieces) == sse.encode()
    assert len(pieces) >= 2


def test_replay_server_flags_requests_beyond_the_recording() -> None:
    recording = load_recording("dd-trace-py__openai__response_error")

    with ReplayServer(recording) as server, httpx.Client(base_url=server.origin) as http:
        first = http.post("/v1/responses", json={})
        extra = http.post("/v1/responses", json={})

    assert first.status_code == recording.interactions[0].response.status
    assert extra.status_code == 500
    with pytest.raises(AssertionError, match="beyond the 1 interaction"):
        server.check()


# --------------------------------------------------------------------------- shared dir


def test_shared_dir_defaults_to_the_repository_sibling(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(paths.SHARED_ENV_VAR, raising=False)

    assert paths.shared_dir() == paths.REPO_ROOT.parent / "shared"
    assert (paths.shared_dir() / "spec" / "openapi.yaml").is_file()


def test_shared_dir_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(paths.SHARED_ENV_VAR, str(tmp_path))
    assert paths.shared_dir() == tmp_path

    monkeypatch.setenv(paths.SHARED_ENV_VAR, str(tmp_path / "missing"))
    with pytest.raises(paths.SharedDirMissingError, match="LANGCHAIN_RESPONSES_SHARED"):
        paths.shared_dir()


def test_recorded_streams_are_event_streams() -> None:
    for recording in recordings_with("streaming"):
        for interaction in recording.interactions:
            if interaction.response.body_sse is not None:
                assert interaction.response.headers["content-type"].startswith("text/event-stream")
                json.loads(interaction.response.body_sse.split("data: ", 1)[1].split("\n", 1)[0])
