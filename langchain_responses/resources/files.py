"""``client.files``: thin sync and async twins over the shared request specs."""

from __future__ import annotations

import asyncio

from typing_extensions import Unpack

from langchain_responses._http.transport import AsyncTransport, SyncTransport
from langchain_responses._wire.files import (
    FileDeleted,
    FileList,
    FileListParams,
    FileObject,
    FileUploadParams,
)
from langchain_responses._wire.params import RequestOptions
from langchain_responses.resources import _file_specs
from langchain_responses.resources._file_specs import FileInput
from langchain_responses.resources._parse import parse


class Files:
    """``client.files``: upload, list, retrieve and delete files."""

    def __init__(self, transport: SyncTransport) -> None:
        self._t = transport

    def upload(self, file: FileInput, **params: Unpack[FileUploadParams]) -> FileObject:
        """Upload a path, binary file object or bytes (``purpose`` defaults to ``assistants``)."""
        return parse(FileObject, self._t.request(_file_specs.file_upload(file, params)))

    def list(self, **params: Unpack[FileListParams]) -> FileList:
        """One page of files (``after=page.last_id`` for the next)."""
        return parse(FileList, self._t.request(_file_specs.file_list(params)))

    def retrieve(self, file_id: str, **options: Unpack[RequestOptions]) -> FileObject:
        """A file's metadata."""
        spec = _file_specs.file_call("GET", file_id, options)
        return parse(FileObject, self._t.request(spec))

    def delete(self, file_id: str, **options: Unpack[RequestOptions]) -> FileDeleted:
        """Delete a file; it also leaves every vector store."""
        spec = _file_specs.file_call("DELETE", file_id, options)
        return parse(FileDeleted, self._t.request(spec))


class AsyncFiles:
    """Async ``client.files``."""

    def __init__(self, transport: AsyncTransport) -> None:
        self._t = transport

    async def upload(self, file: FileInput, **params: Unpack[FileUploadParams]) -> FileObject:
        """Upload a path, binary file object or bytes (``purpose`` defaults to ``assistants``)."""
        # Reading the file is blocking disk I/O: keep it off the event loop.
        spec = await asyncio.to_thread(_file_specs.file_upload, file, params)
        return parse(FileObject, await self._t.request(spec))

    async def list(self, **params: Unpack[FileListParams]) -> FileList:
        """One page of files (``after=page.last_id`` for the next)."""
        return parse(FileList, await self._t.request(_file_specs.file_list(params)))

    async def retrieve(self, file_id: str, **options: Unpack[RequestOptions]) -> FileObject:
        """A file's metadata."""
        spec = _file_specs.file_call("GET", file_id, options)
        return parse(FileObject, await self._t.request(spec))

    async def delete(self, file_id: str, **options: Unpack[RequestOptions]) -> FileDeleted:
        """Delete a file; it also leaves every vector store."""
        spec = _file_specs.file_call("DELETE", file_id, options)
        return parse(FileDeleted, await self._t.request(spec))
