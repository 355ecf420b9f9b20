"""Files and vector stores: pure request builders and the sans-I/O polling flows.

Both twins share everything here. A flow is a generator that yields a ``RequestSpec``
(the driver sends back its JSON) or a float (the driver sleeps that long), and returns the
result, so the sync and async drivers differ only in how they send and sleep.
"""

from __future__ import annotations

import mimetypes
import os
import time
from collections.abc import Callable, Collection, Generator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeAlias, TypeVar
from urllib.parse import quote

from langchain_responses._http.request import RequestOptions, RequestSpec
from langchain_responses._wire.files import (
    FileObject,
    VectorStore,
    VectorStoreFile,
    VectorStoreFileBatch,
)
from langchain_responses.convert.request import OPTION_KEYS, check_metadata, to_json
from langchain_responses.errors import (
    FileProcessingError,
    InvalidRequestError,
    PollTimeoutError,
)
from langchain_responses.resources._parse import parse

FileInput: TypeAlias = (
    str | os.PathLike[str] | bytes | IO[bytes] | tuple[str, bytes] | tuple[str, bytes, str]
)
"""A path, a binary file object, ``(filename, content[, media type])``, or bytes + filename."""

Upload: TypeAlias = tuple[str, bytes, str]
"""A file read for upload: filename, content, media type."""

Step: TypeAlias = RequestSpec | float
"""What a flow asks of its driver: send this request, or sleep this many seconds."""

T = TypeVar("T")
Flow: TypeAlias = Generator[Step, Any, T]
Polled = TypeVar("Polled", VectorStore, VectorStoreFile, VectorStoreFileBatch)

_BETA = {"OpenAI-Beta": "assistants=v2"}
"""Sent on every vector store call, as the official SDK does."""
_MAX_BATCH = 2000
_LIST_KEYS = ("limit", "order", "after", "before")
_FAILED = frozenset({"failed", "cancelled", "expired"})


# --- input checks --------------------------------------------------------------------------


def _id(name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidRequestError(f"{name} must be a non-empty id string, got {value!r}.")
    return quote(value, safe="")


def _ids(name: str, value: object, *, low: int, high: int) -> list[str]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise InvalidRequestError(f"{name} must be a list of id strings, got {value!r:.80}.")
    ids = list(value)
    if not low <= len(ids) <= high:
        raise InvalidRequestError(f"{name} takes {low} to {high} ids, got {len(ids)}.")
    for index, item in enumerate(ids):
        _id(f"{name}[{index}]", item)
    return ids


def _int_in(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidRequestError(f"{name} must be an integer from {low} to {high}, got {value!r}.")
    return value


def _attributes(value: object) -> None:
    """At most 16 pairs; keys <= 64 chars; values strings <= 512 chars, numbers or booleans."""
    if not isinstance(value, Mapping) or len(value) > 16:
        raise InvalidRequestError("attributes must be a dict of at most 16 pairs.")
    for key, item in value.items():
        too_long = isinstance(item, str) and len(item) > 512
        if len(str(key)) > 64 or too_long or not isinstance(item, (str, int, float)):
            raise InvalidRequestError(
                f"attributes[{key!r}]: keys must be <= 64 chars and values strings "
                "(<= 512 chars), numbers or booleans."
            )


def _chunking(value: object) -> None:
    """``{"type": "auto"}`` or ``{"type": "static", "static": {...}}`` within the API's limits."""
    if not isinstance(value, Mapping) or not isinstance(value.get("type"), str):
        raise InvalidRequestError(
            'chunking_strategy must be {"type": "auto"} or {"type": "static", "static": '
            '{"max_chunk_size_tokens": 800, "chunk_overlap_tokens": 400}}.'
        )
    if value["type"] != "static":
        return
    static = value.get("static")
    static = static if isinstance(static, Mapping) else {}
    prefix = "chunking_strategy.static."
    size = _int_in(prefix + "max_chunk_size_tokens", static.get("max_chunk_size_tokens"), 100, 4096)
    _int_in(prefix + "chunk_overlap_tokens", static.get("chunk_overlap_tokens"), 0, size // 2)


def _expiry(value: object, *, anchor: str, unit: str, low: int, high: int) -> dict[str, Any]:
    """``expires_after`` from a number of ``unit``s or the full object."""
    if isinstance(value, Mapping):
        return {"anchor": value.get("anchor", anchor), unit: value.get(unit)}
    return {"anchor": anchor, unit: _int_in(f"expires_after ({unit})", value, low, high)}


# --- shared pieces -------------------------------------------------------------------------


def _only(params: Mapping[str, Any], keys: Collection[str]) -> dict[str, Any]:
    return {key: value for key, value in params.items() if key in keys}


def _options(params: Mapping[str, Any], *, beta: bool = False) -> RequestOptions:
    options = _only(params, OPTION_KEYS)
    if beta:
        options["extra_headers"] = {**_BETA, **(options.get("extra_headers") or {})}
    return RequestOptions(**options)


def _pick(params: Mapping[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    """The JSON of the given fields that were passed and are not None."""
    return {key: to_json(params[key]) for key in keys if params.get(key) is not None}


def _vs(method: str, path: str, params: Mapping[str, Any], **parts: Any) -> RequestSpec:
    """A vector store call; ``parts`` are ``body`` / ``query`` for ``RequestSpec``."""
    return RequestSpec(method, path, options=_options(params, beta=True), **parts)


def _store_path(vector_store_id: str, *rest: str) -> str:
    return "/".join(["/vector_stores", _id("vector_store_id", vector_store_id), *rest])


# --- files ---------------------------------------------------------------------------------


def to_upload(file: FileInput, filename: str | None = None) -> Upload:
    """Read ``file`` for upload (the one place that touches the disk)."""
    if isinstance(file, tuple):
        name, content, *media = file
        return _upload(filename or name, content, media[0] if media else None)
    if isinstance(file, (bytes, bytearray)):
        if not filename:
            raise InvalidRequestError(
                "Raw bytes need filename=... (e.g. 'notes.md'): the API parses by extension."
            )
        return _upload(filename, bytes(file), None)
    if isinstance(file, (str, os.PathLike)):
        path = Path(file)
        if not path.is_file():
            raise InvalidRequestError(f"No file to upload at {str(path)!r}.")
        return _upload(filename or path.name, path.read_bytes(), None)
    content = file.read()
    if not isinstance(content, bytes):
        raise InvalidRequestError("Open the file in binary mode ('rb') to upload it.")
    return _upload(filename or os.path.basename(str(getattr(file, "name", ""))), content, None)


def _upload(name: str, content: bytes, media_type: str | None) -> Upload:
    if not name:
        raise InvalidRequestError("The upload has no file name: pass filename=... (e.g. 'a.pdf').")
    guessed = mimetypes.guess_type(name)[0]
    return name, content, media_type or guessed or "application/octet-stream"


def read_uploads(files: Sequence[FileInput]) -> list[Upload]:
    """Read several files (async callers run this in a worker thread)."""
    return [to_upload(file) for file in files]


def file_upload(file: FileInput, params: Mapping[str, Any]) -> RequestSpec:
    """``POST /files``: multipart ``file`` + ``purpose`` (default ``assistants``)."""
    upload = to_upload(file, params.get("filename"))
    purpose = params.get("purpose", "assistants")
    if not isinstance(purpose, str) or not purpose:
        raise InvalidRequestError(f"purpose must be e.g. 'assistants', got {purpose!r}.")
    form: dict[str, str] = {"purpose": purpose}
    if params.get("expires_after") is not None:
        expiry = _expiry(
            to_json(params["expires_after"]),
            anchor="created_at",
            unit="seconds",
            low=3600,
            high=2592000,
        )
        # Multipart has no nesting: the API reads bracketed keys, as the SDK sends them.
        form.update((f"expires_after[{key}]", str(value)) for key, value in expiry.items())
    return RequestSpec(
        "POST", "/files", body=form, files={"file": upload}, options=_options(params)
    )


def file_list(params: Mapping[str, Any]) -> RequestSpec:
    """``GET /files`` (one page)."""
    query = _pick(params, ("purpose", "limit", "order", "after"))
    return RequestSpec("GET", "/files", query=query, options=_options(params))


def file_call(method: str, file_id: str, params: Mapping[str, Any]) -> RequestSpec:
    """``GET`` / ``DELETE`` ``/files/{file_id}``."""
    return RequestSpec(method, f"/files/{_id('file_id', file_id)}", options=_options(params))


# --- vector stores -------------------------------------------------------------------------


def vector_store_create(params: Mapping[str, Any]) -> RequestSpec:
    """``POST /vector_stores``."""
    keys = ("name", "description", "file_ids", "expires_after", "chunking_strategy", "metadata")
    body = _pick(params, keys)
    if "file_ids" in body:
        _ids("file_ids", body["file_ids"], low=0, high=500)
    if "expires_after" in body:
        body["expires_after"] = _expiry(
            body["expires_after"], anchor="last_active_at", unit="days", low=1, high=365
        )
    if "chunking_strategy" in body:
        _chunking(body["chunking_strategy"])
    check_metadata(body.get("metadata"))
    return _vs("POST", "/vector_stores", params, body=body)


def vector_store_list(params: Mapping[str, Any]) -> RequestSpec:
    """``GET /vector_stores`` (one page)."""
    return _vs("GET", "/vector_stores", params, query=_pick(params, _LIST_KEYS))


def vector_store_call(method: str, vector_store_id: str, params: Mapping[str, Any]) -> RequestSpec:
    """``GET`` / ``DELETE`` ``/vector_stores/{id}``."""
    return _vs(method, _store_path(vector_store_id), params)


def vector_store_search(vector_store_id: str, params: Mapping[str, Any]) -> RequestSpec:
    """``POST /vector_stores/{id}/search``."""
    keys = ("query", "max_num_results", "filters", "ranking_options", "rewrite_query")
    body = _pick(params, keys)
    query = body.get("query")
    queries = [query] if isinstance(query, str) else query
    if (
        not isinstance(queries, list)
        or not queries
        or not all(isinstance(q, str) and q.strip() for q in queries)
    ):
        raise InvalidRequestError("query must be a non-empty string or list of strings.")
    if "max_num_results" in body:
        _int_in("max_num_results", body["max_num_results"], 1, 50)
    return _vs("POST", _store_path(vector_store_id, "search"), params, body=body)


# --- vector store files and batches --------------------------------------------------------


def _file_options(params: Mapping[str, Any]) -> dict[str, Any]:
    body = _pick(params, ("attributes", "chunking_strategy"))
    if "attributes" in body:
        _attributes(body["attributes"])
    if "chunking_strategy" in body:
        _chunking(body["chunking_strategy"])
    return body


def vector_store_file_create(
    vector_store_id: str, file_id: str, params: Mapping[str, Any]
) -> RequestSpec:
    """``POST /vector_stores/{id}/files``: attach an uploaded file."""
    _id("file_id", file_id)
    body = {"file_id": file_id, **_file_options(params)}
    return _vs("POST", _store_path(vector_store_id, "files"), params, body=body)


def vector_store_file_list(vector_store_id: str, params: Mapping[str, Any]) -> RequestSpec:
    """``GET /vector_stores/{id}/files`` (one page)."""
    query = _pick(params, (*_LIST_KEYS, "filter"))
    return _vs("GET", _store_path(vector_store_id, "files"), params, query=query)


def vector_store_file_call(
    method: str, vector_store_id: str, file_id: str, params: Mapping[str, Any]
) -> RequestSpec:
    """``GET`` / ``DELETE`` ``/vector_stores/{id}/files/{file_id}`` (delete only detaches)."""
    path = _store_path(vector_store_id, "files", _id("file_id", file_id))
    return _vs(method, path, params)


def file_batch_create(
    vector_store_id: str, file_ids: Sequence[str], params: Mapping[str, Any]
) -> RequestSpec:
    """``POST /vector_stores/{id}/file_batches``."""
    body = {"file_ids": _ids("file_ids", file_ids, low=1, high=_MAX_BATCH), **_file_options(params)}
    return _vs("POST", _store_path(vector_store_id, "file_batches"), params, body=body)


def file_batch_call(
    method: str, vector_store_id: str, batch_id: str, params: Mapping[str, Any], *rest: str
) -> RequestSpec:
    """``GET /vector_stores/{id}/file_batches/{batch_id}`` (``rest``: e.g. ``"cancel"``)."""
    path = _store_path(vector_store_id, "file_batches", _id("batch_id", batch_id), *rest)
    return _vs(method, path, params)


# --- polling -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Poll:
    """When to poll again and when to give up."""

    interval: float = 1.0
    timeout: float | None = 600.0
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Poll:
        """``poll_interval`` / ``poll_timeout`` from method keyword arguments."""
        interval = params.get("poll_interval", 1.0)
        timeout = params.get("poll_timeout", 600.0)
        if not isinstance(interval, (int, float)) or interval <= 0:
            raise InvalidRequestError(f"poll_interval must be > 0 seconds, got {interval!r}.")
        if timeout is not None and (not isinstance(timeout, (int, float)) or timeout < 0):
            raise InvalidRequestError(
                f"poll_timeout must be >= 0 seconds or None, got {timeout!r}."
            )
        return cls(float(interval), None if timeout is None else float(timeout))


def check_outcome(result: VectorStore | VectorStoreFile | VectorStoreFileBatch) -> bool:
    """True when processing is over and succeeded, False while it goes on; raises on failure."""
    if result.status == "in_progress":
        return False
    name = f"{type(result).__name__} {result.id}"
    if result.status in _FAILED:
        error = result.last_error if isinstance(result, VectorStoreFile) else None
        detail = f": {error.code}: {error.message}" if error is not None else ""
        code = error.code if error is not None else None
        raise FileProcessingError(f"{name} ended {result.status}{detail}", result=result, code=code)
    counts = None if isinstance(result, VectorStoreFile) else result.file_counts
    if counts is not None and counts.failed:
        raise FileProcessingError(
            f"{name}: {counts.failed} of {counts.total} files failed to process "
            f"({counts.completed} completed, {counts.cancelled} cancelled)",
            result=result,
        )
    return True


def until_done(first: Polled, retrieve: RequestSpec, poll: Poll) -> Flow[Polled]:
    """Re-fetch ``first`` every ``poll.interval`` until ``check_outcome`` says it is over."""
    deadline = None if poll.timeout is None else poll.clock() + poll.timeout
    current = first
    while not check_outcome(current):
        remaining = float("inf") if deadline is None else deadline - poll.clock()
        if remaining <= 0:
            raise PollTimeoutError(
                f"{type(current).__name__} {current.id} still {current.status} after "
                f"{poll.timeout} s (poll_timeout)",
                result=current,
            )
        yield min(poll.interval, remaining)
        current = type(first).model_validate((yield retrieve))
    return current


def vector_store_create_and_poll(params: Mapping[str, Any]) -> Flow[VectorStore]:
    """Create a store, then wait until its initial files are processed."""
    created = parse(VectorStore, (yield vector_store_create(params)))
    retrieve = vector_store_call("GET", created.id, params)
    return (yield from until_done(created, retrieve, Poll.from_params(params)))


def attach_and_poll(
    vector_store_id: str, file_id: str, params: Mapping[str, Any]
) -> Flow[VectorStoreFile]:
    """Attach an uploaded file, then wait until it is ``completed``."""
    poll = Poll.from_params(params)
    spec = vector_store_file_create(vector_store_id, file_id, params)
    attached = parse(VectorStoreFile, (yield spec))
    retrieve = vector_store_file_call("GET", vector_store_id, attached.id, params)
    return (yield from until_done(attached, retrieve, poll))


def upload_and_attach(
    vector_store_id: str, file: FileInput, params: Mapping[str, Any]
) -> Flow[VectorStoreFile]:
    """Upload (purpose ``assistants``), attach, and wait until the file is ``completed``."""
    Poll.from_params(params)  # refuse bad settings before uploading anything
    spec = file_upload(file, _only(params, {"filename", *OPTION_KEYS}))
    uploaded = parse(FileObject, (yield spec))
    return (yield from attach_and_poll(vector_store_id, uploaded.id, params))


def batch_and_poll(
    vector_store_id: str, file_ids: Sequence[str], params: Mapping[str, Any]
) -> Flow[VectorStoreFileBatch]:
    """Create a file batch, then wait until it leaves ``in_progress``."""
    poll = Poll.from_params(params)
    batch = parse(
        VectorStoreFileBatch, (yield file_batch_create(vector_store_id, file_ids, params))
    )
    retrieve = file_batch_call("GET", vector_store_id, batch.id, params)
    return (yield from until_done(batch, retrieve, poll))


def upload_batch_and_poll(
    vector_store_id: str, files: Sequence[FileInput], params: Mapping[str, Any]
) -> Flow[VectorStoreFileBatch]:
    """Upload each file (one request each), then batch them with ``file_ids`` and wait."""
    Poll.from_params(params)  # refuse bad settings before uploading anything
    file_ids = list(params.get("file_ids") or ())
    for file in files:
        uploaded = parse(FileObject, (yield file_upload(file, _only(params, OPTION_KEYS))))
        file_ids.append(uploaded.id)
    return (yield from batch_and_poll(vector_store_id, file_ids, params))
