"""What importing and constructing ``ChatResponses`` loads: only what a first request needs later.

Each check runs in a fresh interpreter, since this test process has long loaded everything.
"""

from __future__ import annotations

import json
import subprocess
import sys

import httpx
import pytest

from langchain_responses import ChatResponses

PROBE = """
import json, sys
from langchain_responses import ChatResponses
ChatResponses(model="gpt-4.1", api_key="sk-test")
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {NAMES})))
"""


def _loaded(*names: str) -> list[str]:
    code = PROBE.replace("{NAMES}", repr(set(names)))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded: list[str] = json.loads(out.stdout)
    return loaded


def test_import_and_construct_load_no_http_stack_and_no_wire_models() -> None:
    # httpx (~5 MB), tenacity and the pydantic wire models load with the client, on first use.
    loaded = _loaded("httpx", "tenacity", "h11", "httpcore")
    assert loaded == []
    wire = [m for m in _loaded("langchain_responses") if m.startswith("langchain_responses._wire.")]
    assert wire == ["langchain_responses._wire.base"]


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("http_client", httpx.AsyncClient(), "http_client must be an httpx.Client, got Async"),
        ("http_async_client", httpx.Client(), "must be an httpx.AsyncClient, got Client"),
        ("http_client", object(), "must be an httpx.Client, got object"),
    ],
)
def test_a_wrong_http_client_is_refused(field: str, value: object, expected: str) -> None:
    with pytest.raises(TypeError, match=expected):
        ChatResponses(model="gpt-4.1", api_key="sk-test", **{field: value})


def test_own_http_clients_are_kept() -> None:
    sync, async_ = httpx.Client(), httpx.AsyncClient()
    model = ChatResponses(
        model="gpt-4.1", api_key="sk-test", http_client=sync, http_async_client=async_
    )
    assert model.http_client is sync
    assert model.http_async_client is async_
    sync.close()
