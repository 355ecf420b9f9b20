"""Recorded traffic for the wire tests: ``$LANGCHAIN_RESPONSES_SHARED``, else ``../shared``."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

SHARED_ENV_VAR = "LANGCHAIN_RESPONSES_SHARED"


def shared_dir() -> Path:
    """``$LANGCHAIN_RESPONSES_SHARED``, else the ``shared`` folder beside the repository root."""
    configured = os.environ.get(SHARED_ENV_VAR)
    if configured:
        return Path(configured).expanduser()
    return Path(__file__).resolve().parents[3] / "shared"


def recording_paths() -> list[Path]:
    return sorted((shared_dir() / "fixtures" / "recorded").glob("*.json"))


@cache
def load_recording(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@dataclass(frozen=True)
class Exchange:
    """One recorded request/response pair."""

    name: str
    method: str
    path: str
    request_body: Any
    status: int
    body_json: Any
    body_sse: str | None

    @property
    def endpoint(self) -> str:
        """``create``, ``retrieve``, ``compact`` or ``input_tokens``."""
        if self.path.endswith("/compact"):
            return "compact"
        if self.path.endswith("/input_tokens"):
            return "input_tokens"
        return "retrieve" if self.method == "GET" else "create"

    def sse_payloads(self) -> Iterator[str]:
        """The ``data:`` payloads of the SSE body, without the ``[DONE]`` sentinel."""
        for line in (self.body_sse or "").splitlines():
            if line.startswith("data:"):
                payload = line[5:].removeprefix(" ")
                if not payload.startswith("[DONE]"):
                    yield payload


def exchanges(path: Path) -> list[Exchange]:
    out = []
    for index, interaction in enumerate(load_recording(path)["interactions"]):
        request, response = interaction["request"], interaction["response"]
        out.append(
            Exchange(
                name=f"{path.stem}#{index}",
                method=request["method"],
                path=request["path"],
                request_body=request["body"],
                status=response["status"],
                body_json=response["body_json"],
                body_sse=response["body_sse"],
            )
        )
    return out


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize a ``recording`` argument over every recorded file."""
    if "recording" in metafunc.fixturenames:
        paths = recording_paths()
        metafunc.parametrize("recording", paths, ids=[path.stem for path in paths])
