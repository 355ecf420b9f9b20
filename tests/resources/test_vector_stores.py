"""``client.vector_stores`` (+ ``.files``, ``.file_batches``) against a loopback fake API."""

from __future__ import annotations

import inspect
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from langchain_responses._http.request import RequestSpec
from langchain_responses._wire.files import VectorStoreFile, VectorStoreFileBatch
from langchain_responses.client import AsyncResponsesClient, ResponsesClient
from langchain_responses.errors import InvalidRequestError, NotFoundError
from langchain_responses.resources import _file_specs, vector_stores
from langchain_responses.resources._file_specs import (
    FileProcessingError,
    Poll,
    PollTimeoutError,
    until_done,
)
from tests.resources._fake_openai import FakeOpenAI
from tests.support.server import ScriptedServer
from tests.support.spec import validate_request, validate_schema

FAST = {"poll_interval": 0.01}
RETURNS = b"Items can be returned within 30 days with a receipt.\n"
SHIPPING = b"Orders ship within two business days.\n"


@pytest.fixture
def fake() -> FakeOpenAI:
    return FakeOpenAI(polls_until_done=3, failing={"broken.pdf"})


@pytest.fixture
def server(fake: FakeOpenAI) -> Iterator[ScriptedServer]:
    with ScriptedServer(default=fake) as running:
        yield running
    running.check()
    for request in running.requests:
        if request.method == "POST" and request.json is not None:
            validate_request(request.path, request.method, request.json)


@pytest.fixture
def client(server: ScriptedServer) -> Iterator[ResponsesClient]:
    with ResponsesClient(api_key="sk-test", base_url=server.base_url, max_retries=0) as opened:
        yield opened


@pytest.fixture
async def aclient(server: ScriptedServer) -> AsyncIterator[AsyncResponsesClient]:
    async with AsyncResponsesClient(
        api_key="sk-test", base_url=server.base_url, max_retries=0
    ) as opened:
        yield opened


@pytest.fixture
def docs(tmp_path: Path) -> list[Path]:
    paths = [tmp_path / "returns.txt", tmp_path / "shipping.txt"]
    for path, content in zip(paths, (RETURNS, SHIPPING), strict=True):
        path.write_bytes(content)
    return paths


def _calls(server: ScriptedServer) -> list[str]:
    return [f"{r.method} {r.path}" for r in server.requests]


# --- stores --------------------------------------------------------------------------------


def test_create_sends_the_documented_body_and_beta_header(
    client: ResponsesClient, server: ScriptedServer
) -> None:
    store = client.vector_stores.create(
        name="support",
        expires_after=7,
        metadata={"team": "cx"},
        chunking_strategy={
            "type": "static",
            "static": {"max_chunk_size_tokens": 400, "chunk_overlap_tokens": 100},
        },
    )

    assert (store.name, store.status, store.file_counts.total) == ("support", "completed", 0)
    (request,) = server.requests
    assert request.json == {
        "name": "support",
        "expires_after": {"anchor": "last_active_at", "days": 7},
        "chunking_strategy": {
            "type": "static",
            "static": {"max_chunk_size_tokens": 400, "chunk_overlap_tokens": 100},
        },
        "metadata": {"team": "cx"},
    }
    assert request.headers["openai-beta"] == "assistants=v2"
    assert request.headers["content-type"] == "application/json"


def test_retrieve_list_delete(client: ResponsesClient, server: ScriptedServer) -> None:
    first = client.vector_stores.create(name="a")
    second = client.vector_stores.create(name="b")

    assert client.vector_stores.retrieve(first.id) == first
    page = client.vector_stores.list(limit=2, order="asc")
    assert [s.id for s in page.data] == [first.id, second.id]
    assert server.requests[-1].query == {"limit": "2", "order": "asc"}
    deleted = client.vector_stores.delete(first.id)
    assert (deleted.id, deleted.deleted, deleted.object) == (
        first.id,
        True,
        "vector_store.deleted",
    )
    with pytest.raises(NotFoundError):
        client.vector_stores.retrieve(first.id)
    assert all(r.headers["openai-beta"] == "assistants=v2" for r in server.requests)


def test_search(client: ResponsesClient, server: ScriptedServer, docs: list[Path]) -> None:
    store = client.vector_stores.create(name="kb")
    for path in docs:
        client.vector_stores.files.upload_and_poll(
            store.id, path, attributes={"kind": "policy"}, **FAST
        )

    page = client.vector_stores.search(
        store.id,
        query="returned receipt",
        max_num_results=5,
        filters={"type": "eq", "key": "kind", "value": "policy"},
        ranking_options={"ranker": "auto", "score_threshold": 0.2},
        rewrite_query=False,
    )

    assert page.search_query == ["returned receipt"]
    ((hit),) = page.data
    assert (hit.filename, hit.attributes) == ("returns.txt", {"kind": "policy"})
    assert hit.content[0].text == RETURNS.decode()
    assert server.requests[-1].json == {
        "query": "returned receipt",
        "max_num_results": 5,
        "filters": {"type": "eq", "key": "kind", "value": "policy"},
        "ranking_options": {"ranker": "auto", "score_threshold": 0.2},
        "rewrite_query": False,
    }
    validate_schema("VectorStoreSearchResultsPage", page.to_dict())


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"query": "q", "max_num_results": 0}, "max_num_results must be an integer from 1 to 50"),
        ({"query": "q", "max_num_results": 51}, "max_num_results"),
        ({"query": "q", "max_num_results": True}, "max_num_results"),
        ({"query": ""}, "query must be"),
        ({"query": []}, "query must be"),
        ({"query": ["ok", " "]}, "query must be"),
    ],
)
def test_search_checks_input_before_sending(
    client: ResponsesClient, server: ScriptedServer, params: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidRequestError, match=message):
        client.vector_stores.search("vs_1", **params)
    assert server.requests == []


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.vector_stores.retrieve(""), "vector_store_id"),
        (lambda c: c.vector_stores.create(file_ids="file-1"), "file_ids must be a list"),
        (lambda c: c.vector_stores.create(file_ids=["ok", ""]), r"file_ids\[1\]"),
        (lambda c: c.vector_stores.create(expires_after=0), "expires_after"),
        (lambda c: c.vector_stores.create(metadata={"k": 1}), "metadata"),
        (
            lambda c: c.vector_stores.create(
                chunking_strategy={
                    "type": "static",
                    "static": {"max_chunk_size_tokens": 400, "chunk_overlap_tokens": 300},
                }
            ),
            "chunk_overlap_tokens must be an integer from 0 to 200",
        ),
        (lambda c: c.vector_stores.create(chunking_strategy="auto"), "chunking_strategy"),
        (lambda c: c.vector_stores.files.create("vs_1", file_id=""), "file_id"),
        (
            lambda c: c.vector_stores.files.create(
                "vs_1", file_id="f", attributes={f"k{i}": i for i in range(17)}
            ),
            "attributes",
        ),
        (
            lambda c: c.vector_stores.files.create("vs_1", file_id="f", attributes={"k": None}),
            "attributes",
        ),
        (lambda c: c.vector_stores.file_batches.create("vs_1", file_ids=[]), "1 to 2000"),
        (lambda c: c.vector_stores.file_batches.retrieve("vs_1", ""), "batch_id"),
        (
            lambda c: c.vector_stores.files.upload_and_poll(
                "vs_1", ("a.txt", b"x"), poll_interval=0
            ),
            "poll_interval",
        ),
        (
            lambda c: c.vector_stores.file_batches.upload_and_poll(
                "vs_1", [], file_ids=["f"], poll_timeout=-1
            ),
            "poll_timeout",
        ),
    ],
)
def test_bad_input_fails_before_sending(
    client: ResponsesClient, server: ScriptedServer, call: Any, message: str
) -> None:
    with pytest.raises(InvalidRequestError, match=message):
        call(client)
    assert server.requests == []


# --- files in a store ----------------------------------------------------------------------


def test_upload_and_poll_reaches_completed(
    client: ResponsesClient, server: ScriptedServer, fake: FakeOpenAI, docs: list[Path]
) -> None:
    store = client.vector_stores.create(name="kb")
    started = time.monotonic()

    attached = client.vector_stores.files.upload_and_poll(
        store.id, docs[0], attributes={"year": 2024, "public": True}, **FAST
    )

    assert time.monotonic() - started < 2
    assert (attached.status, attached.last_error) == ("completed", None)
    assert attached.attributes == {"year": 2024, "public": True}
    assert attached.usage_bytes == len(RETURNS)
    file_path = f"/v1/vector_stores/{store.id}/files"
    assert _calls(server)[1:] == [
        "POST /v1/files",
        f"POST {file_path}",
        *[f"GET {file_path}/{attached.id}"] * 3,
    ]
    assert server.requests[2].json == {
        "file_id": attached.id,
        "attributes": {"year": 2024, "public": True},
    }
    assert fake.uploads[0]["purpose"].content == b"assistants"
    validate_schema("VectorStoreFileObject", attached.to_dict())


def test_upload_and_poll_failure_raises_with_the_server_error(
    client: ResponsesClient, server: ScriptedServer
) -> None:
    store = client.vector_stores.create(name="kb")

    with pytest.raises(FileProcessingError) as caught:
        client.vector_stores.files.upload_and_poll(store.id, b"%PDF", filename="broken.pdf", **FAST)

    error = caught.value
    assert "ended failed: unsupported_file: cannot parse file" in str(error)
    assert error.code == "unsupported_file"
    assert isinstance(error.result, VectorStoreFile)
    assert error.result.status == "failed"
    assert vector_stores.FileProcessingError is FileProcessingError


def test_polling_gives_up_after_poll_timeout(
    client: ResponsesClient, server: ScriptedServer, fake: FakeOpenAI
) -> None:
    fake.polls_until_done = 10_000
    store = client.vector_stores.create(name="kb")
    file = client.files.upload(b"slow", filename="slow.txt")
    started = time.monotonic()

    with pytest.raises(PollTimeoutError, match=r"still in_progress after 0\.1 s") as caught:
        client.vector_stores.files.create_and_poll(
            store.id, file_id=file.id, poll_interval=0.02, poll_timeout=0.1
        )

    assert 0.1 <= time.monotonic() - started < 2
    assert isinstance(caught.value, TimeoutError)
    assert isinstance(caught.value.result, VectorStoreFile)
    polls = [c for c in _calls(server) if c.startswith("GET")]
    assert 1 <= len(polls) <= 7


def test_files_list_retrieve_delete(
    client: ResponsesClient, server: ScriptedServer, docs: list[Path]
) -> None:
    store = client.vector_stores.create(name="kb")
    done = client.vector_stores.files.upload_and_poll(store.id, docs[0], **FAST)
    pending = client.vector_stores.files.create(store.id, file_id=client.files.upload(docs[1]).id)

    assert pending.status == "in_progress"
    completed = client.vector_stores.files.list(store.id, filter="completed", limit=5)
    assert [f.id for f in completed.data] == [done.id]
    assert server.requests[-1].query == {"filter": "completed", "limit": "5"}
    assert client.vector_stores.files.retrieve(store.id, done.id).status == "completed"
    detached = client.vector_stores.files.delete(store.id, done.id)
    assert (detached.deleted, detached.object) == (True, "vector_store.file.deleted")
    assert client.files.retrieve(done.id).id == done.id  # detaching keeps the file


def test_create_and_poll_store_with_files(
    client: ResponsesClient, server: ScriptedServer, docs: list[Path]
) -> None:
    ids = [client.files.upload(path).id for path in docs]

    store = client.vector_stores.create_and_poll(name="kb", file_ids=ids, **FAST)

    assert store.status == "completed"
    assert (store.file_counts.completed, store.file_counts.total) == (2, 2)
    assert server.requests[2].json == {"name": "kb", "file_ids": ids}
    validate_schema("VectorStoreObject", store.to_dict())


def test_batch_upload_and_poll(
    client: ResponsesClient, server: ScriptedServer, fake: FakeOpenAI, docs: list[Path]
) -> None:
    store = client.vector_stores.create(name="kb")
    existing = client.files.upload(b"faq", filename="faq.txt").id

    batch = client.vector_stores.file_batches.upload_and_poll(
        store.id, docs, file_ids=[existing], attributes={"src": "kb"}, **FAST
    )

    assert batch.status == "completed"
    assert (batch.file_counts.completed, batch.file_counts.total) == (3, 3)
    created = next(r for r in server.requests if r.path.endswith("/file_batches"))
    assert created.json == {
        "file_ids": [existing, *[f"file-{n:04d}" for n in (2, 3)]],
        "attributes": {"src": "kb"},
    }
    assert [u["file"].filename for u in fake.uploads] == ["faq.txt", "returns.txt", "shipping.txt"]
    assert client.vector_stores.file_batches.retrieve(store.id, batch.id) == batch
    validate_schema("VectorStoreFileBatchObject", batch.to_dict())


def test_batch_with_a_failed_file_raises(client: ResponsesClient, docs: list[Path]) -> None:
    store = client.vector_stores.create(name="kb")

    with pytest.raises(FileProcessingError, match="1 of 3 files failed") as caught:
        client.vector_stores.file_batches.upload_and_poll(
            store.id, [*docs, ("broken.pdf", b"%PDF")], **FAST
        )

    assert isinstance(caught.value.result, VectorStoreFileBatch)
    assert caught.value.result.file_counts.completed == 2


def test_batch_create_and_cancel(client: ResponsesClient, server: ScriptedServer) -> None:
    store = client.vector_stores.create(name="kb")
    ids = [client.files.upload(b"x", filename=f"{n}.txt").id for n in range(2)]

    batch = client.vector_stores.file_batches.create(store.id, file_ids=ids)
    cancelled = client.vector_stores.file_batches.cancel(store.id, batch.id)

    assert batch.status == "in_progress"
    assert (cancelled.status, cancelled.file_counts.cancelled) == ("cancelled", 2)
    assert _calls(server)[-1] == f"POST /v1/vector_stores/{store.id}/file_batches/{batch.id}/cancel"


# --- the sans-I/O poll flow ----------------------------------------------------------------


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _state(status: str) -> dict[str, Any]:
    return {"id": "file-1", "object": "vector_store.file", "status": status}


def test_poll_flow_yields_sleeps_and_requests_then_returns() -> None:
    retrieve = RequestSpec("GET", "/vector_stores/vs/files/file-1")
    flow = until_done(VectorStoreFile.model_validate(_state("in_progress")), retrieve, Poll(0.5))

    assert next(flow) == 0.5
    assert flow.send(None) is retrieve
    assert flow.send(_state("in_progress")) == 0.5
    assert flow.send(None) is retrieve
    with pytest.raises(StopIteration) as finished:
        flow.send(_state("completed"))
    assert finished.value.value.status == "completed"


def _drive_pending(flow: _file_specs.Flow[VectorStoreFile], clock: _Clock) -> None:
    """Answer every poll with "still in progress", advancing the fake clock instead of sleeping."""
    step = next(flow)
    while True:
        if isinstance(step, RequestSpec):
            step = flow.send(_state("in_progress"))
        else:
            clock.now += step
            step = flow.send(None)


def test_poll_flow_times_out_on_the_clock_without_sleeping() -> None:
    clock = _Clock()
    first = VectorStoreFile.model_validate(_state("in_progress"))
    flow = until_done(first, RequestSpec("GET", "/x"), Poll(4.0, timeout=10.0, clock=clock))

    with pytest.raises(PollTimeoutError, match=r"after 10\.0 s") as caught:
        _drive_pending(flow, clock)

    assert clock.now == 10.0  # waited 4 + 4 + 2: the last wait is cut to the deadline
    assert caught.value.result.status == "in_progress"


@pytest.mark.parametrize(
    ("body", "outcome"),
    [
        (_state("in_progress"), False),
        (_state("completed"), True),
        ({**_state("cancelled")}, "ended cancelled"),
        (
            {"id": "vs_1", "object": "vector_store", "status": "expired"},
            "VectorStore vs_1 ended expired",
        ),
        (
            {"id": "vs_1", "object": "vector_store", "status": "completed", "file_counts": {}},
            True,
        ),
    ],
)
def test_check_outcome(body: dict[str, Any], outcome: bool | str) -> None:
    model = (
        _file_specs.VectorStore if body["object"] == "vector_store" else VectorStoreFile
    ).model_validate(body)
    if isinstance(outcome, str):
        with pytest.raises(FileProcessingError, match=outcome):
            _file_specs.check_outcome(model)
    else:
        assert _file_specs.check_outcome(model) is outcome


# --- async twins ---------------------------------------------------------------------------


def _public(cls: type) -> dict[str, list[str]]:
    return {
        name: list(inspect.signature(member).parameters)
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_")
    }


@pytest.mark.parametrize(
    ("sync", "twin"),
    [
        (vector_stores.VectorStores, vector_stores.AsyncVectorStores),
        (vector_stores.VectorStoreFiles, vector_stores.AsyncVectorStoreFiles),
        (vector_stores.VectorStoreFileBatches, vector_stores.AsyncVectorStoreFileBatches),
    ],
)
def test_async_twins_have_the_same_methods(sync: type, twin: type) -> None:
    assert _public(twin) == _public(sync)
    assert all(inspect.iscoroutinefunction(getattr(twin, name)) for name in _public(twin))


async def test_async_store_upload_search_delete(
    aclient: AsyncResponsesClient, server: ScriptedServer, docs: list[Path]
) -> None:
    store = await aclient.vector_stores.create(name="kb", metadata={"env": "test"})
    attached = await aclient.vector_stores.files.upload_and_poll(store.id, docs[1], **FAST)
    page = await aclient.vector_stores.search(store.id, query="ship", max_num_results=1)

    assert attached.status == "completed"
    assert [hit.file_id for hit in page.data] == [attached.id]
    assert [f.id for f in (await aclient.vector_stores.files.list(store.id)).data] == [attached.id]
    assert (await aclient.vector_stores.files.retrieve(store.id, attached.id)).id == attached.id
    assert (await aclient.vector_stores.files.delete(store.id, attached.id)).deleted
    assert [s.id for s in (await aclient.vector_stores.list()).data] == [store.id]
    assert (await aclient.vector_stores.retrieve(store.id)).name == "kb"
    assert (await aclient.vector_stores.delete(store.id)).deleted
    with pytest.raises(InvalidRequestError, match="max_num_results"):
        await aclient.vector_stores.search(store.id, query="q", max_num_results=99)


async def test_async_batches_and_create_and_poll(
    aclient: AsyncResponsesClient, docs: list[Path]
) -> None:
    store = await aclient.vector_stores.create(name="kb")
    batch = await aclient.vector_stores.file_batches.upload_and_poll(store.id, docs, **FAST)
    ids = [(await aclient.files.upload(path)).id for path in docs]
    polled = await aclient.vector_stores.file_batches.create_and_poll(
        store.id, file_ids=ids, **FAST
    )
    created = await aclient.vector_stores.create_and_poll(file_ids=ids, **FAST)
    fresh = await aclient.vector_stores.file_batches.create(store.id, file_ids=ids)

    assert (batch.status, batch.file_counts.completed) == ("completed", 2)
    assert (polled.status, polled.file_counts.total) == ("completed", 2)
    assert (created.status, created.file_counts.completed) == ("completed", 2)
    assert (await aclient.vector_stores.file_batches.retrieve(store.id, fresh.id)).id == fresh.id
    cancelled = await aclient.vector_stores.file_batches.cancel(store.id, fresh.id)
    assert cancelled.status == "cancelled"


async def test_async_failure_and_timeout(aclient: AsyncResponsesClient, fake: FakeOpenAI) -> None:
    store = await aclient.vector_stores.create(name="kb")
    with pytest.raises(FileProcessingError, match="unsupported_file"):
        await aclient.vector_stores.files.upload_and_poll(store.id, ("broken.pdf", b"%PDF"), **FAST)

    fake.polls_until_done = 10_000
    file = await aclient.files.upload(b"slow", filename="slow.txt")
    with pytest.raises(PollTimeoutError):
        await aclient.vector_stores.files.create_and_poll(
            store.id, file_id=file.id, poll_interval=0.01, poll_timeout=0.05
        )
