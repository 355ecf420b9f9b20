"""The recorded Responses API traffic in `shared/fixtures/recorded/`, typed, and its replay.

Recordings are loaded once per process and shared: treat their bodies as read-only (copy
before changing one). The file layout is described in `shared/fixtures/recorded/README.md`.
"""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support.paths import shared_dir
from tests.support.server import RecordedRequest, Reply, ScriptedServer

__all__ = [
    "Interaction",
    "RecordedRequestSpec",
    "RecordedResponse",
    "Recording",
    "ReplayServer",
    "load_recording",
    "load_recordings",
    "recordings_dir",
    "recordings_with",
    "replay",
    "replay_replies",
    "split_evenly",
]

Json = Any


@dataclass(frozen=True)
class RecordedRequestSpec:
    """What the recording client sent (request headers were not kept)."""

    method: str
    path: str
    query: Mapping[str, str | list[str]]
    body: Json


@dataclass(frozen=True)
class RecordedResponse:
    """What the server answered: exactly one of `body_json` / `body_sse` is set."""

    status: int
    headers: Mapping[str, str]
    body_json: Json
    body_sse: str | None

    @property
    def is_stream(self) -> bool:
        """Whether the body is an SSE stream."""
        return self.body_sse is not None


@dataclass(frozen=True)
class Interaction:
    """One request and its response."""

    request: RecordedRequestSpec
    response: RecordedResponse


@dataclass(frozen=True)
class Recording:
    """One recorded conversation (one `*.json` file)."""

    name: str
    source: str
    features: frozenset[str]
    interactions: tuple[Interaction, ...]
    hosts: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    path: Path | None = None

    def has(self, *features: str) -> bool:
        """Whether every one of `features` is tagged on this recording."""
        return self.features.issuperset(features)


def recordings_dir() -> Path:
    """`shared/fixtures/recorded/`."""
    return shared_dir() / "fixtures" / "recorded"


def _interaction(raw: Mapping[str, Json]) -> Interaction:
    request, response = raw["request"], raw["response"]
    return Interaction(
        request=RecordedRequestSpec(
            method=request["method"],
            path=request["path"],
            query=request.get("query") or {},
            body=request.get("body"),
        ),
        response=RecordedResponse(
            status=response["status"],
            headers=response.get("headers") or {},
            body_json=response.get("body_json"),
            body_sse=response.get("body_sse"),
        ),
    )


def _recording(path: Path) -> Recording:
    raw = json.loads(path.read_text(encoding="utf-8"))
    return Recording(
        name=path.stem,
        source=raw["source"],
        features=frozenset(raw.get("features", ())),
        interactions=tuple(_interaction(item) for item in raw["interactions"]),
        hosts=tuple(raw.get("hosts", ())),
        notes=tuple(raw.get("notes", ())),
        path=path,
    )


@functools.cache
def load_recordings() -> tuple[Recording, ...]:
    """Every recording, sorted by name (cached for the process)."""
    files = sorted(recordings_dir().glob("*.json"))
    if not files:
        raise FileNotFoundError(f"no recordings in {recordings_dir()}")
    return tuple(_recording(path) for path in files)


def load_recording(name: str) -> Recording:
    """The recording whose file is `<name>.json` (the `.json` suffix may be given)."""
    stem = name.removesuffix(".json")
    for recording in load_recordings():
        if recording.name == stem:
            return recording
    raise KeyError(f"no recording named {stem!r} in {recordings_dir()}")


def recordings_with(*features: str, without: Iterable[str] = ()) -> list[Recording]:
    """Recordings tagged with all of `features` and none of `without`."""
    excluded = frozenset(without)
    return [r for r in load_recordings() if r.has(*features) and not r.features & excluded]


# --------------------------------------------------------------------------- replay


def split_evenly(data: bytes, pieces: int) -> list[bytes]:
    """`data` cut into `pieces` nearly equal parts, at byte offsets (even inside a character)."""
    count = max(1, min(pieces, len(data)))
    bounds = [len(data) * i // count for i in range(count + 1)]
    return [data[start:end] for start, end in itertools.pairwise(bounds)]


def _reply(response: RecordedResponse, pieces: int) -> Reply:
    headers = dict(response.headers)
    if response.body_sse is not None:
        chunks = split_evenly(response.body_sse.encode(), pieces)
        return Reply(status=response.status, headers=headers, chunks=chunks)
    return Reply(status=response.status, headers=headers, body=json.dumps(response.body_json))


def replay_replies(recording: Recording, *, pieces: int = 4) -> list[Reply]:
    """One `Reply` per recorded response, in order; SSE bodies go out chunked in `pieces`."""
    return [_reply(interaction.response, pieces) for interaction in recording.interactions]


def replay(server: ScriptedServer, recording: Recording, *, pieces: int = 4) -> None:
    """Queue `recording`'s responses on `server` (same as `server.replay(recording)`)."""
    server.enqueue(*replay_replies(recording, pieces=pieces))


class ReplayServer(ScriptedServer):
    """A `ScriptedServer` preloaded with a recording; extra requests get a 500 and an error."""

    def __init__(self, recording: Recording, *, pieces: int = 4) -> None:
        super().__init__(default=self._beyond_recording, strict=True)
        self.recording = recording
        replay(self, recording, pieces=pieces)

    def _beyond_recording(self, request: RecordedRequest) -> Reply:
        message = (
            f"request #{request.index} ({request.method} {request.target}) is beyond the "
            f"{len(self.recording.interactions)} interaction(s) of recording {self.recording.name}"
        )
        self._error(message)
        return Reply.error(500, f"ReplayServer: {message}", error_type="server_error")

    def recorded_request(self, index: int) -> RecordedRequestSpec:
        """What the recording client sent as request number `index`."""
        return self.recording.interactions[index].request
