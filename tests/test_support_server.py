"""The scripted loopback server, exercised with a plain httpx client."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

# The support tests talk to the server with a raw client on purpose.
import httpx
import pytest

from tests.support.server import Reply, ScriptedServer, sse_body, sse_event

FAST = httpx.Timeout(2.0)


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as running:
        yield running
    running.check()


@pytest.fixture
def client(server: ScriptedServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=FAST, trust_env=False) as http:
        yield http


def events(count: int) -> list[dict[str, object]]:
    return [{"type": "response.output_text.delta", "delta": f"d{i}"} for i in range(count)]


def drain(response: httpx.Response, into: list[bytes]) -> None:
    """Read the raw body into `into`, piece by piece, until the end or an error."""
    for piece in response.iter_raw():
        into.append(piece)


# --------------------------------------------------------------------------- plain replies


def test_json_reply(server: ScriptedServer, client: httpx.Client) -> None:
    server.enqueue(Reply(status=201, headers={"X-Request-Id": "req_1"}, json={"ok": True}))

    response = client.post("/responses", json={"model": "m"})

    assert response.status_code == 201
    assert response.json() == {"ok": True}
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-request-id"] == "req_1"
    assert response.headers["content-length"] == str(len(response.content))


def test_base_url_and_addresses(server: ScriptedServer) -> None:
    assert server.base_url == f"http://127.0.0.1:{server.port}/v1"
    assert server.url("/v1/responses") == f"http://127.0.0.1:{server.port}/v1/responses"


def test_requests_are_recorded(server: ScriptedServer, client: httpx.Client) -> None:
    server.enqueue(Reply(json={}), Reply(json={}))
    before = time.monotonic()

    client.post(
        "/responses?include[]=a&include[]=b&stream=true",
        json={"model": "m", "input": "hi"},
        headers={"Authorization": "Bearer sk-test", "X-Custom": "1"},
    )
    client.get("/responses/resp_1")

    first, second = server.requests
    assert (first.index, first.method, first.path) == (0, "POST", "/v1/responses")
    assert first.query == {"include[]": ["a", "b"], "stream": "true"}
    assert first.headers["authorization"] == "Bearer sk-test"
    assert first.headers["x-custom"] == "1"
    assert first.headers["content-type"] == "application/json"
    assert json.loads(first.body) == {"model": "m", "input": "hi"}
    assert first.json == {"model": "m", "input": "hi"}
    assert (second.method, second.path, second.body, second.json) == (
        "GET",
        "/v1/responses/resp_1",
        b"",
        None,
    )
    assert before <= first.arrived_at <= second.arrived_at <= time.monotonic()


def test_chunked_request_body_is_recorded(server: ScriptedServer, client: httpx.Client) -> None:
    server.enqueue(Reply(json={}))

    client.post("/upload", content=iter([b'{"a":', b" 1}"]))

    (request,) = server.requests
    assert request.headers["transfer-encoding"] == "chunked"
    assert request.json == {"a": 1}


def test_default_reply_and_handler(client: httpx.Client) -> None:
    with ScriptedServer(default=lambda request: Reply(json={"path": request.path})) as server:
        server.enqueue(Reply(json={"first": True}))
        with httpx.Client(base_url=server.base_url, trust_env=False) as http:
            assert http.get("/a").json() == {"first": True}
            assert http.get("/b").json() == {"path": "/v1/b"}
            assert http.get("/c").json() == {"path": "/v1/c"}
        assert server.pending == 0


def test_unscripted_request_is_an_error() -> None:
    with ScriptedServer() as server, httpx.Client(trust_env=False) as http:
        response = http.post(server.url("/v1/responses"), json={})
    assert response.status_code == 500
    assert response.json()["error"]["type"] == "server_error"
    with pytest.raises(AssertionError, match="no reply scripted for request #0"):
        server.check()


def test_failing_handler_is_an_error() -> None:
    def handler(request: object) -> Reply:
        raise RuntimeError("boom")

    with ScriptedServer(default=handler) as server, httpx.Client(trust_env=False) as http:
        assert http.get(server.url("/x")).status_code == 500
    with pytest.raises(AssertionError, match="RuntimeError: boom"):
        server.check()


def test_error_reply_has_the_openai_shape(server: ScriptedServer, client: httpx.Client) -> None:
    server.enqueue(
        Reply.error(429, "slow down", code="rate_limit_exceeded", headers={"retry-after": "1"})
    )

    response = client.post("/responses")

    assert response.status_code == 429
    assert response.headers["retry-after"] == "1"
    assert response.json() == {
        "error": {
            "message": "slow down",
            "type": "invalid_request_error",
            "param": None,
            "code": "rate_limit_exceeded",
        }
    }


def test_reply_rejects_two_bodies() -> None:
    with pytest.raises(ValueError, match="at most one"):
        Reply(json={}, body=b"x")
    with pytest.raises(ValueError, match="one entry per chunk"):
        Reply(chunks=[b"a", b"b"], delays=[0.1])


# --------------------------------------------------------------------------- connections


def test_keep_alive_reuses_one_connection(server: ScriptedServer, client: httpx.Client) -> None:
    server.enqueue(Reply(json={}), Reply.sse(events(2)), Reply(body="plain"))

    client.get("/one")
    with client.stream("POST", "/two") as streamed:
        streamed.read()
    client.get("/three")

    assert {request.connection_id for request in server.requests} == {1}
    assert server.connections_accepted == 1
    assert server.open_connections == 1


def test_connection_close_reply_forces_a_new_connection(
    server: ScriptedServer, client: httpx.Client
) -> None:
    server.enqueue(Reply(json={}, keep_alive=False), Reply(json={}))

    first = client.get("/one")
    client.get("/two")

    assert first.headers["connection"] == "close"
    assert [request.connection_id for request in server.requests] == [1, 2]
    server.wait_until(lambda: server.open_connections == 1)


def test_refused_url_refuses() -> None:
    with httpx.Client(trust_env=False) as http, pytest.raises(httpx.ConnectError):
        http.get(ScriptedServer.refused_url() + "/responses")


# --------------------------------------------------------------------------- streaming


def test_chunked_sse_arrives_in_pieces(server: ScriptedServer, client: httpx.Client) -> None:
    server.enqueue(Reply.sse(events(4), delays=0.05))
    arrivals: list[tuple[float, bytes]] = []

    with client.stream("POST", "/responses") as response:
        assert response.headers["transfer-encoding"] == "chunked"
        assert response.headers["content-type"].startswith("text/event-stream")
        for piece in response.iter_raw():
            arrivals.append((time.monotonic(), piece))

    # Each event is its own write 50 ms after the previous one: the client sees them apart
    # (a loaded machine may merge two, never the whole body).
    assert b"".join(piece for _, piece in arrivals) == b"".join(sse_body(events(4)))
    assert len(arrivals) >= 3
    assert arrivals[-1][0] - arrivals[0][0] >= 0.1


def test_per_chunk_delays(server: ScriptedServer, client: httpx.Client) -> None:
    server.enqueue(Reply(chunks=[b"a", b"b"], delays=[0.0, 0.2]))
    started = time.monotonic()

    with client.stream("GET", "/x") as response:
        pieces = [(piece, time.monotonic() - started) for piece in response.iter_raw()]

    assert [piece for piece, _ in pieces] == [b"a", b"b"]
    assert pieces[1][1] - pieces[0][1] >= 0.15


def test_unchunked_pieces_use_content_length(server: ScriptedServer, client: httpx.Client) -> None:
    server.enqueue(Reply(chunks=["ab", "cd"], chunked=False, delays=0.02))

    response = client.get("/x")

    assert response.headers["content-length"] == "4"
    assert "transfer-encoding" not in response.headers
    assert response.content == b"abcd"


def test_empty_chunks_are_not_sent(server: ScriptedServer, client: httpx.Client) -> None:
    server.enqueue(Reply(chunks=[b"a", b"", b"b"]))

    assert client.get("/x").content == b"ab"


# --------------------------------------------------------------------------- faults


def test_close_before_headers(server: ScriptedServer, client: httpx.Client) -> None:
    server.enqueue(Reply(close_before_headers=True))

    with pytest.raises(httpx.RemoteProtocolError):
        client.post("/responses", json={"model": "m"})

    assert server.requests[0].json == {"model": "m"}


def test_close_after_chunks_breaks_the_stream(server: ScriptedServer, client: httpx.Client) -> None:
    server.enqueue(Reply.sse(events(5), close_after_chunks=2))
    received: list[bytes] = []

    with client.stream("POST", "/responses") as response, pytest.raises(httpx.RemoteProtocolError):
        drain(response, received)

    assert b"".join(received) == b"".join(sse_body(events(5))[:2])


def test_close_after_whole_body_still_lacks_the_last_chunk(
    server: ScriptedServer, client: httpx.Client
) -> None:
    server.enqueue(Reply.sse(events(2), close_after_chunks=2))

    with pytest.raises(httpx.RemoteProtocolError):
        client.post("/responses")


def test_reset_after_chunks(server: ScriptedServer, client: httpx.Client) -> None:
    server.enqueue(Reply.sse(events(3), close_after_chunks=1, reset=True))

    with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
        client.post("/responses")


def test_close_after_json_headers(server: ScriptedServer, client: httpx.Client) -> None:
    server.enqueue(Reply(json={"big": "x" * 100}, close_after_chunks=0))

    with pytest.raises(httpx.RemoteProtocolError):
        client.get("/x")


def test_stall_triggers_the_read_timeout(server: ScriptedServer, client: httpx.Client) -> None:
    server.enqueue(Reply.sse(events(3), stall_after_chunks=1))
    received: list[bytes] = []
    started = time.monotonic()

    with (
        client.stream("POST", "/responses", timeout=httpx.Timeout(2.0, read=0.2)) as response,
        pytest.raises(httpx.ReadTimeout),
    ):
        drain(response, received)

    assert received == sse_body(events(3))[:1]
    assert 0.2 <= time.monotonic() - started < 1.5
    server.wait_until(lambda: server.disconnects == 1)
    (event,) = server.disconnect_events
    assert (event.phase, event.pieces_sent, event.request_index) == ("stall", 1, 0)


def test_delay_headers(server: ScriptedServer, client: httpx.Client) -> None:
    server.enqueue(Reply(json={}, delay_headers=0.15), Reply(json={}, delay_headers=1.0))

    started = time.monotonic()
    assert client.get("/slow").status_code == 200
    assert time.monotonic() - started >= 0.15

    with pytest.raises(httpx.ReadTimeout):
        client.get("/slower", timeout=httpx.Timeout(2.0, read=0.1))
    server.wait_until(lambda: server.disconnects == 1)
    assert server.disconnect_events[0].phase == "headers"


def test_stop_ends_a_stalled_stream(client: httpx.Client) -> None:
    server = ScriptedServer().start()
    server.enqueue(Reply.sse(events(2), stall_after_chunks=1))
    with httpx.Client(base_url=server.base_url, trust_env=False) as http:
        with http.stream("POST", "/responses") as response:
            chunks = response.iter_raw()
            next(chunks)
            started = time.monotonic()
            server.stop()
            with pytest.raises(httpx.RemoteProtocolError):
                next(chunks)
        assert time.monotonic() - started < 2
    assert server.disconnects == 0


# --------------------------------------------------------------------------- disconnects


def test_client_closing_a_stream_early_is_recorded(
    server: ScriptedServer, client: httpx.Client
) -> None:
    server.enqueue(Reply.sse(events(20), delays=0.03))

    with client.stream("POST", "/responses") as response:
        pieces = response.iter_raw()
        next(pieces)
        next(pieces)

    server.wait_until(lambda: server.disconnects == 1 and server.open_connections == 0)
    (event,) = server.disconnect_events
    assert event.phase == "body"
    assert 2 <= event.pieces_sent < 20
    assert event.at >= server.requests[0].arrived_at


def test_a_finished_response_is_no_disconnect(server: ScriptedServer, client: httpx.Client) -> None:
    server.enqueue(Reply.sse(events(2)))

    client.post("/responses")
    client.close()

    server.wait_until(lambda: server.open_connections == 0)
    assert server.disconnects == 0


# --------------------------------------------------------------------------- async


async def test_async_client_streams_and_disconnects() -> None:
    async with ScriptedServer() as server:
        server.enqueue(Reply(json={"n": 1}), Reply.sse(events(20), delays=0.03))
        async with httpx.AsyncClient(base_url=server.base_url, trust_env=False) as http:
            assert (await http.post("/responses")).json() == {"n": 1}
            async with http.stream("POST", "/responses") as response:
                async for piece in response.aiter_raw():
                    assert piece == sse_body(events(1))[0]
                    break
        await server.await_until(lambda: server.disconnects == 1)
        assert server.open_connections == 0
        assert [r.connection_id for r in server.requests] == [1, 1]
    server.check()


async def test_async_stall_times_out() -> None:
    async with ScriptedServer() as server:
        server.enqueue(Reply(json={}, stall_after_chunks=0))
        async with httpx.AsyncClient(trust_env=False, timeout=httpx.Timeout(1, read=0.1)) as http:
            with pytest.raises(httpx.ReadTimeout):
                await http.get(server.url("/x"))
        await server.await_until(lambda: server.disconnects == 1)


# --------------------------------------------------------------------------- SSE helpers


def test_sse_event_encoding() -> None:
    assert sse_event({"type": "response.created", "n": 1}) == (
        b'event: response.created\ndata: {"type":"response.created","n":1}\n\n'
    )
    assert sse_event({"n": 1}, event=None) == b'data: {"n":1}\n\n'
    assert sse_event({"type": "a"}, event="b", event_id="7") == (
        b'event: b\nid: 7\ndata: {"type":"a"}\n\n'
    )
    assert sse_event("[DONE]") == b"data: [DONE]\n\n"
    assert sse_event("one\ntwo", event=None) == b"data: one\ndata: two\n\n"


def test_sse_body_numbers_events() -> None:
    chunks = sse_body(
        [{"type": "a"}, {"type": "b", "sequence_number": 9}, ": ping\n\n", b"x"],
        sequence_numbers=True,
    )

    assert chunks == [
        b'event: a\ndata: {"type":"a","sequence_number":0}\n\n',
        b'event: b\ndata: {"type":"b","sequence_number":9}\n\n',
        b": ping\n\n",
        b"x",
    ]
