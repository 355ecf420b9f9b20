"""``client.files`` against a real loopback server running an in-memory Files API."""

from __future__ import annotations

import inspect
import io
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from langchain_responses.client import AsyncResponsesClient, ResponsesClient
from langchain_responses.errors import InvalidRequestError, NotFoundError
from langchain_responses.resources.files import AsyncFiles, Files
from tests.resources._fake_openai import FakeOpenAI
from tests.support.server import ScriptedServer
from tests.support.spec import validate_schema

CONTENT = b"# Returns\nItems can be returned within 30 days.\n"


@pytest.fixture
def fake() -> FakeOpenAI:
    return FakeOpenAI()


@pytest.fixture
def server(fake: FakeOpenAI) -> Iterator[ScriptedServer]:
    with ScriptedServer(default=fake) as running:
        yield running
    running.check()


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
def doc(tmp_path: Path) -> Path:
    path = tmp_path / "policy.md"
    path.write_bytes(CONTENT)
    return path


def test_upload_from_path_sends_multipart_file_and_purpose(
    client: ResponsesClient, server: ScriptedServer, fake: FakeOpenAI, doc: Path
) -> None:
    uploaded = client.files.upload(doc)

    assert uploaded.id.startswith("file-")
    assert (uploaded.filename, uploaded.bytes, uploaded.purpose) == ("policy.md", 48, "assistants")
    (request,) = server.requests
    assert (request.method, request.path) == ("POST", "/v1/files")
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert request.headers["authorization"] == "Bearer sk-test"
    form = fake.uploads[0]
    assert set(form) == {"file", "purpose"}
    assert form["file"].filename == "policy.md"
    assert form["file"].content == CONTENT
    assert form["file"].content_type == "text/markdown"
    assert form["purpose"].content == b"assistants"
    assert form["purpose"].filename is None


def test_upload_bytes_needs_and_uses_filename(
    client: ResponsesClient, fake: FakeOpenAI, server: ScriptedServer
) -> None:
    with pytest.raises(InvalidRequestError, match="filename="):
        client.files.upload(b"raw")
    assert server.requests == []

    uploaded = client.files.upload(b"a,b\n1,2\n", filename="t.csv", purpose="user_data")

    assert (uploaded.filename, uploaded.purpose) == ("t.csv", "user_data")
    form = fake.uploads[0]
    assert (form["file"].filename, form["file"].content) == ("t.csv", b"a,b\n1,2\n")
    assert form["file"].content_type == "text/csv"
    assert form["purpose"].content == b"user_data"


def test_upload_file_objects_and_tuples(
    client: ResponsesClient, fake: FakeOpenAI, doc: Path
) -> None:
    with doc.open("rb") as handle:
        from_handle = client.files.upload(handle)
    from_buffer = client.files.upload(io.BytesIO(b"%PDF-1.4"), filename="scan.pdf")
    from_tuple = client.files.upload(("data.json", b"{}"))
    with_type = client.files.upload(("blob", b"\x00\x01", "application/x-custom"))

    assert [f.filename for f in (from_handle, from_buffer, from_tuple, with_type)] == [
        "policy.md",
        "scan.pdf",
        "data.json",
        "blob",
    ]
    assert [u["file"].content_type for u in fake.uploads] == [
        "text/markdown",
        "application/pdf",
        "application/json",
        "application/x-custom",
    ]
    assert fake.uploads[0]["file"].content == CONTENT


def test_upload_expires_after_as_bracketed_form_fields(
    client: ResponsesClient, fake: FakeOpenAI, doc: Path
) -> None:
    uploaded = client.files.upload(doc, expires_after=7200)

    form = fake.uploads[0]
    assert form["expires_after[anchor]"].content == b"created_at"
    assert form["expires_after[seconds]"].content == b"7200"
    assert uploaded.created_at is not None
    assert uploaded.expires_at == uploaded.created_at + 7200


@pytest.mark.parametrize(
    ("file", "options", "message"),
    [
        ("/no/such/file.txt", {}, "No file to upload"),
        (io.StringIO("text"), {"filename": "a.txt"}, "binary mode"),
        (io.BytesIO(b"x"), {}, "no file name"),
        (b"x", {"filename": "a.txt", "purpose": ""}, "purpose"),
        (b"x", {"filename": "a.txt", "expires_after": 60}, "expires_after"),
    ],
)
def test_bad_uploads_fail_before_sending(
    client: ResponsesClient, server: ScriptedServer, file: object, options: dict, message: str
) -> None:
    with pytest.raises(InvalidRequestError, match=message):
        client.files.upload(file, **options)  # type: ignore[arg-type]
    assert server.requests == []


def test_list_retrieve_delete(client: ResponsesClient, server: ScriptedServer, doc: Path) -> None:
    kept = client.files.upload(doc)
    other = client.files.upload(b"x", filename="x.txt", purpose="user_data")

    page = client.files.list(purpose="assistants", limit=10)
    assert [f.id for f in page.data] == [kept.id]
    assert server.requests[-1].query == {"purpose": "assistants", "limit": "10"}
    assert client.files.retrieve(other.id) == other

    deleted = client.files.delete(other.id)
    assert (deleted.id, deleted.deleted) == (other.id, True)
    with pytest.raises(NotFoundError):
        client.files.retrieve(other.id)
    assert [f.id for f in client.files.list().data] == [kept.id]


def test_ids_are_checked_and_escaped(client: ResponsesClient, server: ScriptedServer) -> None:
    with pytest.raises(InvalidRequestError, match="file_id"):
        client.files.retrieve("")
    assert server.requests == []
    with pytest.raises(NotFoundError):
        client.files.delete("a/b")
    assert server.requests[0].target == "/v1/files/a%2Fb"


def test_request_options_pass_through(
    client: ResponsesClient, server: ScriptedServer, doc: Path
) -> None:
    client.files.upload(doc, extra_headers={"x-trace": "1"}, timeout=5)
    client.files.list(extra_query={"custom": "y"})

    assert server.requests[0].headers["x-trace"] == "1"
    assert server.requests[1].query == {"custom": "y"}


def test_fake_answers_match_the_spec(client: ResponsesClient, doc: Path) -> None:
    uploaded = client.files.upload(doc)
    validate_schema("OpenAIFile", uploaded.to_dict())
    validate_schema("ListFilesResponse", client.files.list().to_dict())
    validate_schema("DeleteFileResponse", client.files.delete(uploaded.id).to_dict())


def _public(cls: type) -> dict[str, list[str]]:
    return {
        name: list(inspect.signature(member).parameters)
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_")
    }


def test_async_twin_has_the_same_methods() -> None:
    assert _public(AsyncFiles) == _public(Files)
    assert all(
        inspect.iscoroutinefunction(getattr(AsyncFiles, name)) for name in _public(AsyncFiles)
    )


async def test_async_upload_list_retrieve_delete(
    aclient: AsyncResponsesClient, fake: FakeOpenAI, doc: Path
) -> None:
    uploaded = await aclient.files.upload(doc)
    from_bytes = await aclient.files.upload(b"hello", filename="h.txt", purpose="user_data")

    assert fake.uploads[0]["file"].content == CONTENT
    assert fake.uploads[1]["purpose"].content == b"user_data"
    assert [f.id for f in (await aclient.files.list()).data] == [uploaded.id, from_bytes.id]
    assert await aclient.files.retrieve(uploaded.id) == uploaded
    assert (await aclient.files.delete(uploaded.id)).deleted is True
    with pytest.raises(NotFoundError):
        await aclient.files.retrieve(uploaded.id)
    with pytest.raises(InvalidRequestError, match="filename="):
        await aclient.files.upload(b"raw")
