"""Client settings (environment fallbacks, auth schemes, token providers, lifecycle) and the
promise that the API key never shows up: not in ``repr``, error messages, tracebacks or logs.
"""

from __future__ import annotations

import logging
import traceback

import httpx
import pytest
from langchain_core import exceptions as lc

from langchain_responses import errors
from langchain_responses._http.config import to_timeout
from langchain_responses.client import AsyncResponsesClient, ResponsesClient
from tests.client._events import response_json, text_events
from tests.client._twin import API_KEY, Mode, Twin
from tests.client.conftest import MakeTwin
from tests.support.server import Reply, ScriptedServer

pytestmark = pytest.mark.timeout(30)

ARGS = {"model": "gpt-test", "input": "hi"}
MASKED = f"{API_KEY[:7]}{'*' * 20}{API_KEY[-4:]}"


def reveals_key(text: str) -> bool:
    return API_KEY in text or API_KEY[7:-4] in text


def exception_text(exc: BaseException) -> str:
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


# --------------------------------------------------------------------------- environment


async def test_environment_fallbacks(
    scripted_server: ScriptedServer, mode: Mode, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env-key")
    monkeypatch.setenv("OPENAI_BASE_URL", scripted_server.base_url + "/")
    monkeypatch.setenv("OPENAI_ORG_ID", "org-env")
    monkeypatch.setenv("OPENAI_PROJECT_ID", "proj_env")
    twin = Twin(mode, api_key=None)
    scripted_server.enqueue(Reply(json=response_json()))

    try:
        assert twin.client.base_url == scripted_server.base_url
        await twin.call("responses.create", **ARGS)
    finally:
        await twin.close()

    headers = scripted_server.requests[0].headers
    assert headers["authorization"] == "Bearer sk-env-key"
    assert headers["openai-organization"] == "org-env"
    assert headers["openai-project"] == "proj_env"


async def test_arguments_override_the_environment(
    scripted_server: ScriptedServer, mode: Mode, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env-key")
    monkeypatch.setenv("OPENAI_BASE_URL", ScriptedServer.refused_url())
    monkeypatch.setenv("OPENAI_ORG_ID", "org-env")
    monkeypatch.setenv("OPENAI_PROJECT_ID", "proj_env")
    twin = Twin(
        mode,
        api_key="sk-arg",
        base_url=scripted_server.base_url,
        organization="org-arg",
        project="proj_arg",
    )
    scripted_server.enqueue(Reply(json=response_json()))

    try:
        await twin.call("responses.create", **ARGS)
    finally:
        await twin.close()

    headers = scripted_server.requests[0].headers
    assert headers["authorization"] == "Bearer sk-arg"
    assert (headers["openai-organization"], headers["openai-project"]) == ("org-arg", "proj_arg")


async def test_no_organization_or_project_headers_by_default(
    scripted_server: ScriptedServer, twin: Twin
) -> None:
    scripted_server.enqueue(Reply(json=response_json()))

    await twin.call("responses.create", **ARGS)

    headers = scripted_server.requests[0].headers
    assert "openai-organization" not in headers
    assert "openai-project" not in headers
    assert headers["accept"] == "application/json"


def test_default_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    client = ResponsesClient(api_key="sk-x")
    try:
        assert client.base_url == "https://api.openai.com/v1"
        assert client.max_retries == 2
        assert client.config.timeout == httpx.Timeout(600.0, connect=5.0)
    finally:
        client.close()


def test_timeout_settings() -> None:
    assert to_timeout(2.5) == httpx.Timeout(2.5, connect=2.5)
    assert to_timeout(30) == httpx.Timeout(30.0, connect=5.0)
    assert to_timeout(None) == httpx.Timeout(None)
    custom = httpx.Timeout(1.0, read=9.0)
    assert to_timeout(custom) is custom


def test_negative_max_retries_is_refused() -> None:
    with pytest.raises(ValueError, match="max_retries"):
        ResponsesClient(api_key="sk-x", max_retries=-1)


# --------------------------------------------------------------------------- missing key


@pytest.mark.parametrize("api_key", [None, ""])
async def test_missing_key_fails_at_the_first_request(
    scripted_server: ScriptedServer, make_twin: MakeTwin, api_key: str | None
) -> None:
    twin = make_twin(api_key=api_key)  # constructing the client is fine

    with pytest.raises(errors.MissingAPIKeyError) as caught:
        await twin.call("responses.create", **ARGS)
    with pytest.raises(errors.MissingAPIKeyError):
        await twin.call("responses.create", **ARGS, stream=True)
    with pytest.raises(errors.MissingAPIKeyError):
        await twin.call("conversations.retrieve", "conv_1")

    assert "OPENAI_API_KEY" in str(caught.value)
    assert isinstance(caught.value, lc.ModelAuthenticationError)
    assert isinstance(caught.value, errors.InvalidRequestError)
    assert scripted_server.requests == []
    assert scripted_server.connections_accepted == 0


# --------------------------------------------------------------------------- auth schemes


async def test_bearer_auth(scripted_server: ScriptedServer, twin: Twin) -> None:
    scripted_server.enqueue(Reply(json=response_json()), Reply(json=response_json()))

    await twin.call("responses.create", **ARGS)
    await twin.call("responses.retrieve", "resp_1")

    for request in scripted_server.requests:
        assert request.headers["authorization"] == f"Bearer {API_KEY}"
        assert "api-key" not in request.headers


async def test_azure_api_key_header(scripted_server: ScriptedServer, make_twin: MakeTwin) -> None:
    twin = make_twin(api_key_header="api-key", default_query={"api-version": "preview"})
    scripted_server.enqueue(Reply(json=response_json()))

    await twin.call("responses.create", **ARGS)

    request = scripted_server.requests[0]
    assert request.headers["api-key"] == API_KEY
    assert "authorization" not in request.headers
    assert request.query == {"api-version": "preview"}


async def test_sync_token_provider_is_called_per_request(
    scripted_server: ScriptedServer, make_twin: MakeTwin
) -> None:
    tokens = iter(["tok-1", "tok-2", "tok-3", "tok-4"])
    calls: list[str] = []

    def provide() -> str:
        calls.append(token := next(tokens))
        return token

    twin = make_twin(api_key=None, token_provider=provide)
    scripted_server.enqueue(
        Reply(json=response_json()),
        Reply.error(503, headers={"retry-after-ms": "5"}),
        Reply(json=response_json()),
        Reply.sse(text_events(["s"])),
    )

    await twin.call("responses.create", **ARGS)
    await twin.call("responses.retrieve", "resp_1")
    await twin.collect(await twin.call("responses.create", **ARGS, stream=True))

    assert calls == ["tok-1", "tok-2", "tok-3", "tok-4"]
    assert [r.headers["authorization"] for r in scripted_server.requests] == [
        "Bearer tok-1",
        "Bearer tok-2",
        "Bearer tok-3",
        "Bearer tok-4",
    ]


async def test_async_token_provider(scripted_server: ScriptedServer) -> None:
    count = 0

    async def provide() -> str:
        nonlocal count
        count += 1
        return f"entra-{count}"

    scripted_server.enqueue(Reply(json=response_json()), Reply(json=response_json()))
    async with AsyncResponsesClient(
        base_url=scripted_server.base_url, async_token_provider=provide
    ) as client:
        await client.responses.create(model="m", input="hi")
        await client.responses.retrieve("resp_1")

    assert [r.headers["authorization"] for r in scripted_server.requests] == [
        "Bearer entra-1",
        "Bearer entra-2",
    ]


async def test_token_provider_returning_nothing(
    scripted_server: ScriptedServer, mode: Mode
) -> None:
    twin = Twin(mode, base_url=scripted_server.base_url, api_key=None, token_provider=lambda: "")
    try:
        with pytest.raises(errors.MissingAPIKeyError):
            await twin.call("responses.create", **ARGS)
    finally:
        await twin.close()
    assert scripted_server.requests == []


# --------------------------------------------------------------------------- lifecycle


def test_sync_context_manager_closes_its_pool(scripted_server: ScriptedServer) -> None:
    scripted_server.enqueue(Reply(json=response_json()))
    with ResponsesClient(api_key="sk-x", base_url=scripted_server.base_url) as client:
        client.responses.create(model="m", input="hi")
        http = client._transport.http
        assert not http.is_closed

    assert http.is_closed


def test_sync_close(scripted_server: ScriptedServer) -> None:
    client = ResponsesClient(api_key="sk-x", base_url=scripted_server.base_url)
    client.close()
    assert client._transport.http.is_closed


async def test_async_context_manager_closes_its_pool(scripted_server: ScriptedServer) -> None:
    scripted_server.enqueue(Reply(json=response_json()))
    async with AsyncResponsesClient(api_key="sk-x", base_url=scripted_server.base_url) as client:
        await client.responses.create(model="m", input="hi")
        http = client._transport.http
        assert not http.is_closed

    assert http.is_closed


@pytest.mark.parametrize("method", ["aclose", "close"])
async def test_async_close(scripted_server: ScriptedServer, method: str) -> None:
    client = AsyncResponsesClient(api_key="sk-x", base_url=scripted_server.base_url)
    await getattr(client, method)()
    assert client._transport.http.is_closed


def test_user_supplied_sync_http_client_is_used_and_not_closed(
    scripted_server: ScriptedServer,
) -> None:
    seen: list[str] = []
    http = httpx.Client(event_hooks={"request": [lambda request: seen.append(request.url.path)]})
    scripted_server.enqueue(Reply(json=response_json()))

    with ResponsesClient(api_key="sk-x", base_url=scripted_server.base_url, http_client=http) as c:
        c.responses.create(model="m", input="hi")

    assert seen == ["/v1/responses"]
    assert not http.is_closed
    http.close()


async def test_user_supplied_async_http_client_is_used_and_not_closed(
    scripted_server: ScriptedServer,
) -> None:
    seen: list[str] = []

    async def hook(request: httpx.Request) -> None:
        seen.append(request.url.path)

    http = httpx.AsyncClient(event_hooks={"request": [hook]})
    scripted_server.enqueue(Reply(json=response_json()))

    async with AsyncResponsesClient(
        api_key="sk-x", base_url=scripted_server.base_url, http_client=http
    ) as client:
        await client.responses.create(model="m", input="hi")

    assert seen == ["/v1/responses"]
    assert not http.is_closed
    await http.aclose()


# --------------------------------------------------------------------------- secrets


@pytest.mark.parametrize("cls", [ResponsesClient, AsyncResponsesClient])
def test_key_not_in_repr(cls: type[ResponsesClient] | type[AsyncResponsesClient]) -> None:
    client = cls(api_key=API_KEY, organization="org-1")
    texts = [
        repr(client),
        str(client),
        repr(client.config),
        str(client.config),
        repr(client.config.credentials),
        repr(client.responses),
        repr(vars(client)),
    ]
    for text in texts:
        assert not reveals_key(text), text
    assert "**" in repr(client)
    if isinstance(client, ResponsesClient):
        client.close()


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)  # every logger: ours, httpx, httpcore
    caplog.set_level(logging.DEBUG, logger="langchain_responses")
    return caplog


def assert_logs_clean(caplog: pytest.LogCaptureFixture) -> None:
    ours = [r for r in caplog.records if r.name.startswith("langchain_responses")]
    assert ours, "expected DEBUG records from the langchain_responses logger"
    for record in caplog.records:
        assert not reveals_key(record.getMessage()), record.getMessage()
        assert not reveals_key(repr(record.args)), record.args
    assert not reveals_key(caplog.text)


async def test_key_not_in_errors_tracebacks_or_logs(
    scripted_server: ScriptedServer, twin: Twin, debug_logs: pytest.LogCaptureFixture
) -> None:
    body = {
        "error": {
            "message": f"Incorrect API key provided: {MASKED}. You can find your API key at "
            "https://platform.openai.com/account/api-keys.",
            "type": "invalid_request_error",
            "param": None,
            "code": "invalid_api_key",
        }
    }
    scripted_server.enqueue(
        Reply.error(429, headers={"retry-after-ms": "5"}),
        Reply(json=response_json()),
        Reply(status=401, json=body, headers={"x-request-id": "req_401"}),
        Reply.sse(text_events(["a", "b"]), close_after_chunks=5),
    )

    await twin.call("responses.create", **ARGS)
    with pytest.raises(errors.AuthenticationError) as caught:
        await twin.call("responses.create", **ARGS)
    _, stream_error = await twin.stream(**ARGS)

    exc = caught.value
    assert exc.code == "invalid_api_key"
    assert MASKED in exc.message  # the server's masked echo is kept
    assert stream_error is not None
    for failure in (exc, stream_error):
        for text in (str(failure), repr(failure), exception_text(failure), repr(failure.body)):
            assert not reveals_key(text), text
    assert not reveals_key(repr(exc.headers))
    assert_logs_clean(debug_logs)


@pytest.mark.usefixtures("fast_backoff")
async def test_key_not_in_transport_errors(
    make_twin: MakeTwin, scripted_server: ScriptedServer, debug_logs: pytest.LogCaptureFixture
) -> None:
    refused = make_twin(base_url=ScriptedServer.refused_url(), max_retries=1)
    slow = make_twin(timeout=0.2, max_retries=0)
    scripted_server.enqueue(Reply(json=response_json(), delay_headers=2))

    with pytest.raises(errors.APIConnectionError) as connection:
        await refused.call("responses.create", **ARGS)
    with pytest.raises(errors.APITimeoutError) as timeout:
        await slow.call("responses.create", **ARGS)

    for failure in (connection.value, timeout.value):
        assert not reveals_key(exception_text(failure))
        assert not reveals_key(str(failure))
    # The retry log of the refused connection is there, and clean.
    assert any("Retrying" in r.getMessage() for r in debug_logs.records)
    for record in debug_logs.records:
        assert not reveals_key(record.getMessage())


async def test_token_from_provider_not_in_logs(
    scripted_server: ScriptedServer, make_twin: MakeTwin, debug_logs: pytest.LogCaptureFixture
) -> None:
    twin = make_twin(api_key=None, token_provider=lambda: API_KEY)
    scripted_server.enqueue(Reply(json=response_json()))

    await twin.call("responses.create", **ARGS)

    assert scripted_server.requests[0].headers["authorization"] == f"Bearer {API_KEY}"
    assert_logs_clean(debug_logs)


async def test_key_echoed_in_full_is_redacted(scripted_server: ScriptedServer, twin: Twin) -> None:
    scripted_server.enqueue(
        Reply.error(401, f"Incorrect API key provided: {API_KEY}.", code="invalid_api_key")
    )

    with pytest.raises(errors.AuthenticationError) as caught:
        await twin.call("responses.create", **ARGS)

    exc = caught.value
    assert "Incorrect API key provided" in exc.message
    for text in (str(exc), repr(exc), exception_text(exc), repr(exc.body)):
        assert not reveals_key(text), text
