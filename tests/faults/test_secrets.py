"""The API key never shows up: repr, serialisation, errors, tracebacks, logs, traces, metadata."""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Callable

import pytest
from langchain_core.load import dumpd, dumps, load

from langchain_responses import errors
from langchain_responses.chat_model import ChatResponses
from langchain_responses.client import ResponsesClient
from tests.faults.conftest import API_KEY, response_json, sse, text_events
from tests.support.server import Reply, ScriptedServer

Make = Callable[..., ChatResponses]


def assert_no_key(text: str) -> None:
    assert API_KEY not in text
    assert API_KEY[8:] not in text  # not even its tail


def test_repr_str_and_serialisation(server: ScriptedServer, make_model: Make) -> None:
    model = make_model(server)
    assert_no_key(repr(model))
    assert_no_key(str(model))
    assert_no_key(repr(model.client))
    assert_no_key(repr(model.client.config))
    assert_no_key(repr(model.client.config.credentials))
    assert_no_key(repr(model.async_client))
    serialised = dumps(model)
    assert_no_key(serialised)
    assert dumpd(model)["kwargs"]["api_key"] == {
        "lc": 1,
        "type": "secret",
        "id": ["OPENAI_API_KEY"],
    }
    assert_no_key(json.dumps(model.model_dump(mode="json"), default=str))
    assert_no_key(str(model._get_ls_params()))


@pytest.mark.filterwarnings("ignore::langchain_core._api.beta_decorator.LangChainBetaWarning")
def test_load_takes_the_key_from_the_environment(
    server: ScriptedServer, make_model: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", API_KEY)
    restored = load(
        dumpd(make_model(server)),
        valid_namespaces=["langchain_responses"],
        secrets_from_env=True,
        allowed_objects=[ChatResponses],
    )
    assert restored.api_key.get_secret_value() == API_KEY
    assert_no_key(repr(restored))


@pytest.mark.parametrize("mode", ["invoke", "stream"])
def test_errors_tracebacks_and_logs(
    server: ScriptedServer, make_model: Make, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    # A hostile or buggy server echoing the key back in its error body.
    server.enqueue(
        Reply.error(401, f"Incorrect API key provided: {API_KEY}.", code="invalid_api_key")
    )
    caplog.set_level(logging.DEBUG)
    model = make_model(server)
    with pytest.raises(errors.AuthenticationError) as info:
        if mode == "invoke":
            model.invoke("hi")
        else:
            list(model.stream("hi"))
    assert_no_key(str(info.value))
    assert_no_key(repr(info.value))
    assert_no_key("".join(traceback.format_exception(info.value)))
    assert_no_key(json.dumps(info.value.body))
    assert_no_key("\n".join(f"{r.name} {r.getMessage()} {r.args}" for r in caplog.records))
    # The key did go out, in the header, where it belongs.
    assert server.requests[0].headers["authorization"] == f"Bearer {API_KEY}"


def test_retries_and_successes_log_nothing_secret(
    server: ScriptedServer, make_model: Make, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server.enqueue(Reply.error(500, "oops"), Reply(json=response_json()), sse(text_events(["a"])))
    model = make_model(server)
    message = model.invoke("hi")
    list(model.stream("hi"))
    assert any("Retrying" in r.getMessage() for r in caplog.records)
    assert_no_key("\n".join(f"{r.name} {r.getMessage()} {r.args}" for r in caplog.records))
    assert_no_key(json.dumps(message.response_metadata))
    assert_no_key(json.dumps(message.usage_metadata))


def test_client_repr_and_connection_errors() -> None:
    client = ResponsesClient(
        api_key=API_KEY, base_url=ScriptedServer.refused_url() + "/v1", max_retries=0
    )
    assert_no_key(repr(client))
    with pytest.raises(errors.APIConnectionError) as info:
        client.responses.create(model="m", input="x")
    assert_no_key("".join(traceback.format_exception(info.value)))
    client.close()
