"""An in-memory Files + Vector Stores API, served by `ScriptedServer` as its default handler.

It parses multipart uploads itself (with the stdlib `email` parser, not httpx), so the tests
check the bytes our client really put on the wire. Processing is simulated: a vector store
file, batch or store stays `in_progress` for `polls_until_done` GETs, then completes; files
whose name is in `failing` end `failed` with a `last_error`.
"""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.support.server import RecordedRequest, Reply

NOW = 1_700_000_000
Json = dict[str, Any]


@dataclass
class Upload:
    """A multipart field as the server parsed it."""

    filename: str | None
    content: bytes
    content_type: str


def parse_multipart(body: bytes, content_type: str) -> dict[str, Upload]:
    """Form fields by name (RFC 7578), independently of the client's encoder."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise ValueError(f"not a multipart body ({content_type})")
    fields: dict[str, Upload] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        assert isinstance(name, str)
        assert isinstance(payload, bytes)
        fields[name] = Upload(part.get_filename(), payload, part.get_content_type())
    return fields


def _counts(statuses: list[str]) -> Json:
    names = ("in_progress", "completed", "failed", "cancelled")
    return {**{n: statuses.count(n) for n in names}, "total": len(statuses)}


@dataclass
class FakeOpenAI:
    """The handler: call it with a `RecordedRequest`, get a `Reply`."""

    polls_until_done: int = 2
    failing: set[str] = field(default_factory=set)
    files: dict[str, Json] = field(default_factory=dict)
    contents: dict[str, bytes] = field(default_factory=dict)
    uploads: list[dict[str, Upload]] = field(default_factory=list)
    stores: dict[str, Json] = field(default_factory=dict)
    store_files: dict[tuple[str, str], Json] = field(default_factory=dict)
    batches: dict[str, Json] = field(default_factory=dict)
    polls_left: dict[str, int] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=itertools.count)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, request: RecordedRequest) -> Reply:
        path = request.path.removeprefix("/v1")
        with self._lock:
            for method, pattern, handler in self._routes():
                match = re.fullmatch(pattern, path)
                if match and method == request.method:
                    return handler(request, *match.groups())
        return Reply.error(404, f"no route {request.method} {path}")

    def _routes(self) -> list[tuple[str, str, Callable[..., Reply]]]:
        seg = "([^/]+)"
        return [
            ("POST", "/files", self._upload),
            ("GET", "/files", self._list_files),
            ("GET", f"/files/{seg}", self._get_file),
            ("DELETE", f"/files/{seg}", self._delete_file),
            ("POST", "/vector_stores", self._create_store),
            ("GET", "/vector_stores", lambda r: self._page(list(self.stores.values()))),
            ("GET", f"/vector_stores/{seg}", self._get_store),
            ("DELETE", f"/vector_stores/{seg}", self._delete_store),
            ("POST", f"/vector_stores/{seg}/search", self._search),
            ("POST", f"/vector_stores/{seg}/files", self._attach),
            ("GET", f"/vector_stores/{seg}/files", self._list_store_files),
            ("GET", f"/vector_stores/{seg}/files/{seg}", self._get_store_file),
            ("DELETE", f"/vector_stores/{seg}/files/{seg}", self._detach),
            ("POST", f"/vector_stores/{seg}/file_batches", self._create_batch),
            ("GET", f"/vector_stores/{seg}/file_batches/{seg}", self._get_batch),
            ("POST", f"/vector_stores/{seg}/file_batches/{seg}/cancel", self._cancel_batch),
        ]

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):04d}"

    @staticmethod
    def _page(data: list[Json]) -> Reply:
        first, last = (data[0]["id"], data[-1]["id"]) if data else (None, None)
        page = {"object": "list", "data": data, "first_id": first, "last_id": last}
        return Reply(json={**page, "has_more": False})

    @staticmethod
    def _missing(kind: str, ident: str) -> Reply:
        return Reply.error(404, f"No {kind} found with id '{ident}'.")

    # --- files -------------------------------------------------------------------------

    def _upload(self, request: RecordedRequest) -> Reply:
        form = parse_multipart(request.body, request.headers["content-type"])
        self.uploads.append(form)
        upload, purpose = form["file"], form["purpose"].content.decode()
        file_id = self._new_id("file-")
        self.contents[file_id] = upload.content
        self.files[file_id] = {
            "id": file_id,
            "object": "file",
            "bytes": len(upload.content),
            "created_at": NOW,
            "filename": upload.filename,
            "purpose": purpose,
            "status": "processed",
        }
        if "expires_after[seconds]" in form:
            self.files[file_id]["expires_at"] = NOW + int(form["expires_after[seconds]"].content)
        return Reply(json=self.files[file_id])

    def _list_files(self, request: RecordedRequest) -> Reply:
        purpose = request.query.get("purpose")
        files = [f for f in self.files.values() if purpose in (None, f["purpose"])]
        return self._page(files)

    def _get_file(self, request: RecordedRequest, file_id: str) -> Reply:
        found = self.files.get(file_id)
        return Reply(json=found) if found else self._missing("file", file_id)

    def _delete_file(self, request: RecordedRequest, file_id: str) -> Reply:
        if self.files.pop(file_id, None) is None:
            return self._missing("file", file_id)
        for key in [k for k in self.store_files if k[1] == file_id]:
            del self.store_files[key]
        return Reply(json={"id": file_id, "object": "file", "deleted": True})

    # --- vector stores -----------------------------------------------------------------

    def _create_store(self, request: RecordedRequest) -> Reply:
        body = request.json
        store_id = self._new_id("vs_")
        self.stores[store_id] = {
            "id": store_id,
            "object": "vector_store",
            "created_at": NOW,
            "name": body.get("name", ""),
            "usage_bytes": 0,
            "file_counts": _counts([]),
            "status": "completed",
            "last_active_at": NOW,
            "metadata": body.get("metadata", {}),
        }
        for file_id in body.get("file_ids", []):
            self._attach_file(store_id, file_id, {})
        if body.get("file_ids"):
            self.polls_left[store_id] = self.polls_until_done
        return Reply(json=self._store(store_id))

    def _store(self, store_id: str) -> Json:
        statuses = [f["status"] for (vs, _), f in self.store_files.items() if vs == store_id]
        store = self.stores[store_id]
        store["file_counts"] = _counts(statuses)
        store["status"] = "in_progress" if "in_progress" in statuses else "completed"
        return store

    def _get_store(self, request: RecordedRequest, store_id: str) -> Reply:
        if store_id not in self.stores:
            return self._missing("vector store", store_id)
        if self._poll(store_id):
            for (vs, _), item in self.store_files.items():
                if vs == store_id:
                    self._finish(item)
        return Reply(json=self._store(store_id))

    def _delete_store(self, request: RecordedRequest, store_id: str) -> Reply:
        if self.stores.pop(store_id, None) is None:
            return self._missing("vector store", store_id)
        return Reply(json={"id": store_id, "object": "vector_store.deleted", "deleted": True})

    def _search(self, request: RecordedRequest, store_id: str) -> Reply:
        body = request.json
        queries = [body["query"]] if isinstance(body["query"], str) else body["query"]
        words = {w.lower() for q in queries for w in q.split()}
        hits = []
        for (vs, file_id), item in self.store_files.items():
            text = self.contents[file_id].decode(errors="replace")
            if vs == store_id and words & set(text.lower().split()):
                hits.append(self._hit(file_id, item, text))
        page = hits[: body.get("max_num_results", 10)]
        return Reply(
            json={
                "object": "vector_store.search_results.page",
                "search_query": queries,
                "data": page,
                "has_more": False,
                "next_page": None,
            }
        )

    def _hit(self, file_id: str, item: Json, text: str) -> Json:
        return {
            "file_id": file_id,
            "filename": self.files[file_id]["filename"],
            "score": 0.9,
            "attributes": item.get("attributes") or {},
            "content": [{"type": "text", "text": text}],
        }

    # --- vector store files ------------------------------------------------------------

    def _poll(self, key: str) -> bool:
        """Count one poll of `key`; True once it is due to finish."""
        left = self.polls_left.get(key, 0) - 1
        self.polls_left[key] = left
        return left <= 0

    def _finish(self, item: Json) -> None:
        if item["status"] != "in_progress":
            return
        if self.files[item["id"]]["filename"] in self.failing:
            item["status"] = "failed"
            item["last_error"] = {"code": "unsupported_file", "message": "cannot parse file"}
        else:
            item["status"] = "completed"
            item["usage_bytes"] = len(self.contents[item["id"]])

    def _attach_file(self, store_id: str, file_id: str, body: Json) -> Json:
        item = {
            "id": file_id,
            "object": "vector_store.file",
            "usage_bytes": 0,
            "created_at": NOW,
            "vector_store_id": store_id,
            "status": "in_progress",
            "last_error": None,
            "attributes": body.get("attributes"),
        }
        self.store_files[(store_id, file_id)] = item
        self.polls_left[f"{store_id}/{file_id}"] = self.polls_until_done
        return item

    def _attach(self, request: RecordedRequest, store_id: str) -> Reply:
        file_id = request.json["file_id"]
        if store_id not in self.stores or file_id not in self.files:
            return self._missing("file or vector store", f"{store_id}/{file_id}")
        return Reply(json=self._attach_file(store_id, file_id, request.json))

    def _list_store_files(self, request: RecordedRequest, store_id: str) -> Reply:
        wanted = request.query.get("filter")
        items = [
            f
            for (vs, _), f in self.store_files.items()
            if vs == store_id and wanted in (None, f["status"])
        ]
        return self._page(items)

    def _get_store_file(self, request: RecordedRequest, store_id: str, file_id: str) -> Reply:
        item = self.store_files.get((store_id, file_id))
        if item is None:
            return self._missing("vector store file", file_id)
        if self._poll(f"{store_id}/{file_id}"):
            self._finish(item)
        return Reply(json=item)

    def _detach(self, request: RecordedRequest, store_id: str, file_id: str) -> Reply:
        if self.store_files.pop((store_id, file_id), None) is None:
            return self._missing("vector store file", file_id)
        return Reply(json={"id": file_id, "object": "vector_store.file.deleted", "deleted": True})

    # --- batches -----------------------------------------------------------------------

    def _create_batch(self, request: RecordedRequest, store_id: str) -> Reply:
        batch_id = self._new_id("vsfb_")
        file_ids = request.json["file_ids"]
        for file_id in file_ids:
            self._attach_file(store_id, file_id, request.json)
        self.batches[batch_id] = {"store": store_id, "file_ids": file_ids, "cancelled": False}
        self.polls_left[batch_id] = self.polls_until_done
        return Reply(json=self._batch(batch_id))

    def _batch(self, batch_id: str) -> Json:
        batch = self.batches[batch_id]
        items = [self.store_files[(batch["store"], f)] for f in batch["file_ids"]]
        counts = _counts([item["status"] for item in items])
        status = "cancelled" if batch["cancelled"] else "completed"
        return {
            "id": batch_id,
            "object": "vector_store.files_batch",
            "created_at": NOW,
            "vector_store_id": batch["store"],
            "status": "in_progress" if counts["in_progress"] else status,
            "file_counts": counts,
        }

    def _get_batch(self, request: RecordedRequest, store_id: str, batch_id: str) -> Reply:
        if batch_id not in self.batches:
            return self._missing("batch", batch_id)
        if self._poll(batch_id):
            for file_id in self.batches[batch_id]["file_ids"]:
                self._finish(self.store_files[(store_id, file_id)])
        return Reply(json=self._batch(batch_id))

    def _cancel_batch(self, request: RecordedRequest, store_id: str, batch_id: str) -> Reply:
        batch = self.batches[batch_id]
        batch["cancelled"] = True
        for file_id in batch["file_ids"]:
            item = self.store_files[(store_id, file_id)]
            if item["status"] == "in_progress":
                item["status"] = "cancelled"
        return Reply(json=self._batch(batch_id))
