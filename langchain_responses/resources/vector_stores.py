"""``client.vector_stores`` (with ``.files`` and ``.file_batches``): sync and async twins.

The ``*_and_poll`` methods run the sans-I/O flows of ``_file_specs``; the two drivers below
are the only code that differs between sync and async (how to send, how to sleep).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import Any, TypeVar

from typing_extensions import Unpack

from langchain_responses._http.request import RequestSpec
from langchain_responses._http.transport import AsyncTransport, SyncTransport
from langchain_responses._wire.files import (
    FileBatchUploadParams,
    VectorStore,
    VectorStoreCreateAndPollParams,
    VectorStoreCreateParams,
    VectorStoreDeleted,
    VectorStoreFile,
    VectorStoreFileBatch,
    VectorStoreFileCreateAndPollParams,
    VectorStoreFileCreateParams,
    VectorStoreFileDeleted,
    VectorStoreFileList,
    VectorStoreFileListParams,
    VectorStoreFileUploadParams,
    VectorStoreList,
    VectorStoreListParams,
    VectorStoreSearchParams,
    VectorStoreSearchResultsPage,
)
from langchain_responses._wire.params import RequestOptions
from langchain_responses.errors import FileProcessingError, PollTimeoutError
from langchain_responses.resources import _file_specs as specs
from langchain_responses.resources._file_specs import FileInput, Flow
from langchain_responses.resources._parse import parse

__all__ = [
    "AsyncVectorStoreFileBatches",
    "AsyncVectorStoreFiles",
    "AsyncVectorStores",
    "FileProcessingError",
    "PollTimeoutError",
    "VectorStoreFileBatches",
    "VectorStoreFiles",
    "VectorStores",
]

T = TypeVar("T")


def _run(transport: SyncTransport, flow: Flow[T]) -> T:
    """Drive a flow: send each request it yields, sleep each delay."""
    reply: Any = None
    while True:
        try:
            step = flow.send(reply)
        except StopIteration as done:
            result: T = done.value
            return result
        if isinstance(step, RequestSpec):
            reply = transport.request(step)
        else:
            time.sleep(step)
            reply = None


async def _arun(transport: AsyncTransport, flow: Flow[T]) -> T:
    """Async twin of ``_run``."""
    reply: Any = None
    while True:
        try:
            step = flow.send(reply)
        except StopIteration as done:
            result: T = done.value
            return result
        if isinstance(step, RequestSpec):
            reply = await transport.request(step)
        else:
            await asyncio.sleep(step)
            reply = None


class VectorStoreFiles:
    """``client.vector_stores.files``: files attached to a store."""

    def __init__(self, transport: SyncTransport) -> None:
        self._t = transport

    def create(
        self, vector_store_id: str, *, file_id: str, **params: Unpack[VectorStoreFileCreateParams]
    ) -> VectorStoreFile:
        """Attach an uploaded file (processing goes on in the background)."""
        spec = specs.vector_store_file_create(vector_store_id, file_id, params)
        return parse(VectorStoreFile, self._t.request(spec))

    def create_and_poll(
        self,
        vector_store_id: str,
        *,
        file_id: str,
        **params: Unpack[VectorStoreFileCreateAndPollParams],
    ) -> VectorStoreFile:
        """Attach an uploaded file and wait until it is ``completed``."""
        return _run(self._t, specs.attach_and_poll(vector_store_id, file_id, params))

    def upload_and_poll(
        self, vector_store_id: str, file: FileInput, **params: Unpack[VectorStoreFileUploadParams]
    ) -> VectorStoreFile:
        """Upload a file, attach it and wait until it is ``completed``."""
        return _run(self._t, specs.upload_and_attach(vector_store_id, file, params))

    def list(
        self, vector_store_id: str, **params: Unpack[VectorStoreFileListParams]
    ) -> VectorStoreFileList:
        """One page of the store's files (``filter`` by status)."""
        spec = specs.vector_store_file_list(vector_store_id, params)
        return parse(VectorStoreFileList, self._t.request(spec))

    def retrieve(
        self, vector_store_id: str, file_id: str, **options: Unpack[RequestOptions]
    ) -> VectorStoreFile:
        """One attached file, with its processing ``status`` and ``last_error``."""
        spec = specs.vector_store_file_call("GET", vector_store_id, file_id, options)
        return parse(VectorStoreFile, self._t.request(spec))

    def delete(
        self, vector_store_id: str, file_id: str, **options: Unpack[RequestOptions]
    ) -> VectorStoreFileDeleted:
        """Detach a file from the store (``client.files.delete`` deletes the file itself)."""
        spec = specs.vector_store_file_call("DELETE", vector_store_id, file_id, options)
        return parse(VectorStoreFileDeleted, self._t.request(spec))


class AsyncVectorStoreFiles:
    """Async ``client.vector_stores.files``."""

    def __init__(self, transport: AsyncTransport) -> None:
        self._t = transport

    async def create(
        self, vector_store_id: str, *, file_id: str, **params: Unpack[VectorStoreFileCreateParams]
    ) -> VectorStoreFile:
        """Attach an uploaded file (processing goes on in the background)."""
        spec = specs.vector_store_file_create(vector_store_id, file_id, params)
        return parse(VectorStoreFile, await self._t.request(spec))

    async def create_and_poll(
        self,
        vector_store_id: str,
        *,
        file_id: str,
        **params: Unpack[VectorStoreFileCreateAndPollParams],
    ) -> VectorStoreFile:
        """Attach an uploaded file and wait until it is ``completed``."""
        return await _arun(self._t, specs.attach_and_poll(vector_store_id, file_id, params))

    async def upload_and_poll(
        self, vector_store_id: str, file: FileInput, **params: Unpack[VectorStoreFileUploadParams]
    ) -> VectorStoreFile:
        """Upload a file, attach it and wait until it is ``completed``."""
        upload = await asyncio.to_thread(specs.to_upload, file, params.get("filename"))
        return await _arun(self._t, specs.upload_and_attach(vector_store_id, upload, params))

    async def list(
        self, vector_store_id: str, **params: Unpack[VectorStoreFileListParams]
    ) -> VectorStoreFileList:
        """One page of the store's files (``filter`` by status)."""
        spec = specs.vector_store_file_list(vector_store_id, params)
        return parse(VectorStoreFileList, await self._t.request(spec))

    async def retrieve(
        self, vector_store_id: str, file_id: str, **options: Unpack[RequestOptions]
    ) -> VectorStoreFile:
        """One attached file, with its processing ``status`` and ``last_error``."""
        spec = specs.vector_store_file_call("GET", vector_store_id, file_id, options)
        return parse(VectorStoreFile, await self._t.request(spec))

    async def delete(
        self, vector_store_id: str, file_id: str, **options: Unpack[RequestOptions]
    ) -> VectorStoreFileDeleted:
        """Detach a file from the store (``client.files.delete`` deletes the file itself)."""
        spec = specs.vector_store_file_call("DELETE", vector_store_id, file_id, options)
        return parse(VectorStoreFileDeleted, await self._t.request(spec))


class VectorStoreFileBatches:
    """``client.vector_stores.file_batches``: attach many files in one request."""

    def __init__(self, transport: SyncTransport) -> None:
        self._t = transport

    def create(
        self,
        vector_store_id: str,
        *,
        file_ids: Sequence[str],
        **params: Unpack[VectorStoreFileCreateParams],
    ) -> VectorStoreFileBatch:
        """Attach up to 2000 uploaded files (``attributes`` apply to each)."""
        spec = specs.file_batch_create(vector_store_id, file_ids, params)
        return parse(VectorStoreFileBatch, self._t.request(spec))

    def create_and_poll(
        self,
        vector_store_id: str,
        *,
        file_ids: Sequence[str],
        **params: Unpack[VectorStoreFileCreateAndPollParams],
    ) -> VectorStoreFileBatch:
        """Attach uploaded files and wait until the batch is done."""
        return _run(self._t, specs.batch_and_poll(vector_store_id, file_ids, params))

    def upload_and_poll(
        self,
        vector_store_id: str,
        files: Sequence[FileInput],
        **params: Unpack[FileBatchUploadParams],
    ) -> VectorStoreFileBatch:
        """Upload files one by one, attach them as one batch and wait until it is done."""
        return _run(self._t, specs.upload_batch_and_poll(vector_store_id, files, params))

    def retrieve(
        self, vector_store_id: str, batch_id: str, **options: Unpack[RequestOptions]
    ) -> VectorStoreFileBatch:
        """A batch, with its ``status`` and ``file_counts``."""
        spec = specs.file_batch_call("GET", vector_store_id, batch_id, options)
        return parse(VectorStoreFileBatch, self._t.request(spec))

    def cancel(
        self, vector_store_id: str, batch_id: str, **options: Unpack[RequestOptions]
    ) -> VectorStoreFileBatch:
        """Stop processing the batch's remaining files."""
        spec = specs.file_batch_call("POST", vector_store_id, batch_id, options, "cancel")
        return parse(VectorStoreFileBatch, self._t.request(spec))


class AsyncVectorStoreFileBatches:
    """Async ``client.vector_stores.file_batches``."""

    def __init__(self, transport: AsyncTransport) -> None:
        self._t = transport

    async def create(
        self,
        vector_store_id: str,
        *,
        file_ids: Sequence[str],
        **params: Unpack[VectorStoreFileCreateParams],
    ) -> VectorStoreFileBatch:
        """Attach up to 2000 uploaded files (``attributes`` apply to each)."""
        spec = specs.file_batch_create(vector_store_id, file_ids, params)
        return parse(VectorStoreFileBatch, await self._t.request(spec))

    async def create_and_poll(
        self,
        vector_store_id: str,
        *,
        file_ids: Sequence[str],
        **params: Unpack[VectorStoreFileCreateAndPollParams],
    ) -> VectorStoreFileBatch:
        """Attach uploaded files and wait until the batch is done."""
        return await _arun(self._t, specs.batch_and_poll(vector_store_id, file_ids, params))

    async def upload_and_poll(
        self,
        vector_store_id: str,
        files: Sequence[FileInput],
        **params: Unpack[FileBatchUploadParams],
    ) -> VectorStoreFileBatch:
        """Upload files one by one, attach them as one batch and wait until it is done."""
        uploads = await asyncio.to_thread(specs.read_uploads, files)
        return await _arun(self._t, specs.upload_batch_and_poll(vector_store_id, uploads, params))

    async def retrieve(
        self, vector_store_id: str, batch_id: str, **options: Unpack[RequestOptions]
    ) -> VectorStoreFileBatch:
        """A batch, with its ``status`` and ``file_counts``."""
        spec = specs.file_batch_call("GET", vector_store_id, batch_id, options)
        return parse(VectorStoreFileBatch, await self._t.request(spec))

    async def cancel(
        self, vector_store_id: str, batch_id: str, **options: Unpack[RequestOptions]
    ) -> VectorStoreFileBatch:
        """Stop processing the batch's remaining files."""
        spec = specs.file_batch_call("POST", vector_store_id, batch_id, options, "cancel")
        return parse(VectorStoreFileBatch, await self._t.request(spec))


class VectorStores:
    """``client.vector_stores``: the stores ``file_search`` reads."""

    def __init__(self, transport: SyncTransport) -> None:
        self._t = transport
        self.files = VectorStoreFiles(transport)
        self.file_batches = VectorStoreFileBatches(transport)

    def create(self, **params: Unpack[VectorStoreCreateParams]) -> VectorStore:
        """Create a store, optionally with files (processed in the background)."""
        return parse(VectorStore, self._t.request(specs.vector_store_create(params)))

    def create_and_poll(self, **params: Unpack[VectorStoreCreateAndPollParams]) -> VectorStore:
        """Create a store and wait until its files are processed."""
        return _run(self._t, specs.vector_store_create_and_poll(params))

    def retrieve(self, vector_store_id: str, **options: Unpack[RequestOptions]) -> VectorStore:
        """A store, with its ``status`` and ``file_counts``."""
        spec = specs.vector_store_call("GET", vector_store_id, options)
        return parse(VectorStore, self._t.request(spec))

    def list(self, **params: Unpack[VectorStoreListParams]) -> VectorStoreList:
        """One page of stores (``after=page.last_id`` for the next)."""
        return parse(VectorStoreList, self._t.request(specs.vector_store_list(params)))

    def delete(self, vector_store_id: str, **options: Unpack[RequestOptions]) -> VectorStoreDeleted:
        """Delete a store (its files stay in ``client.files``)."""
        spec = specs.vector_store_call("DELETE", vector_store_id, options)
        return parse(VectorStoreDeleted, self._t.request(spec))

    def search(
        self, vector_store_id: str, **params: Unpack[VectorStoreSearchParams]
    ) -> VectorStoreSearchResultsPage:
        """Search the store directly, without a model."""
        spec = specs.vector_store_search(vector_store_id, params)
        return parse(VectorStoreSearchResultsPage, self._t.request(spec))


class AsyncVectorStores:
    """Async ``client.vector_stores``."""

    def __init__(self, transport: AsyncTransport) -> None:
        self._t = transport
        self.files = AsyncVectorStoreFiles(transport)
        self.file_batches = AsyncVectorStoreFileBatches(transport)

    async def create(self, **params: Unpack[VectorStoreCreateParams]) -> VectorStore:
        """Create a store, optionally with files (processed in the background)."""
        return parse(VectorStore, await self._t.request(specs.vector_store_create(params)))

    async def create_and_poll(
        self, **params: Unpack[VectorStoreCreateAndPollParams]
    ) -> VectorStore:
        """Create a store and wait until its files are processed."""
        return await _arun(self._t, specs.vector_store_create_and_poll(params))

    async def retrieve(
        self, vector_store_id: str, **options: Unpack[RequestOptions]
    ) -> VectorStore:
        """A store, with its ``status`` and ``file_counts``."""
        spec = specs.vector_store_call("GET", vector_store_id, options)
        return parse(VectorStore, await self._t.request(spec))

    async def list(self, **params: Unpack[VectorStoreListParams]) -> VectorStoreList:
        """One page of stores (``after=page.last_id`` for the next)."""
        spec = specs.vector_store_list(params)
        return parse(VectorStoreList, await self._t.request(spec))

    async def delete(
        self, vector_store_id: str, **options: Unpack[RequestOptions]
    ) -> VectorStoreDeleted:
        """Delete a store (its files stay in ``client.files``)."""
        spec = specs.vector_store_call("DELETE", vector_store_id, options)
        return parse(VectorStoreDeleted, await self._t.request(spec))

    async def search(
        self, vector_store_id: str, **params: Unpack[VectorStoreSearchParams]
    ) -> VectorStoreSearchResultsPage:
        """Search the store directly, without a model."""
        spec = specs.vector_store_search(vector_store_id, params)
        return parse(VectorStoreSearchResultsPage, await self._t.request(spec))
