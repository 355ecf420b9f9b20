"""Files API and Vector Stores API objects (for ``file_search``), and their method parameters.

Declarations only, lenient like every wire model: unknown fields are kept, and statuses stay
open strings so a new server value never breaks parsing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from pydantic import BaseModel, Field
from typing_extensions import Required, TypedDict

from langchain_responses._wire.base import JsonObject, WireModel
from langchain_responses._wire.params import RequestOptions

AttributeValue = str | float | bool
"""A vector store file attribute value (what ``file_search`` filters compare against)."""

FilePurpose = Literal["assistants", "batch", "fine-tune", "vision", "user_data", "evals"]
VectorStoreFileStatus = Literal["in_progress", "completed", "cancelled", "failed"]


# --- Files ---------------------------------------------------------------------------------


class FileObject(WireModel):
    """An uploaded file (``object: "file"``)."""

    id: str
    object: Literal["file"] | str = "file"
    bytes: int | None = None
    created_at: int | None = None
    expires_at: int | None = None
    filename: str | None = None
    purpose: FilePurpose | str | None = None
    status: str | None = None
    """Deprecated by the API: ``uploaded``, ``processed`` or ``error``."""
    status_details: str | None = None


class FileDeleted(WireModel):
    id: str
    object: Literal["file"] | str = "file"
    deleted: bool = True


class FileList(WireModel):
    """One page of ``GET /files``."""

    object: str = "list"
    data: list[FileObject] = Field(default_factory=list)
    first_id: str | None = None
    last_id: str | None = None
    has_more: bool = False


# --- Vector stores -------------------------------------------------------------------------


class FileCounts(WireModel):
    in_progress: int = 0
    completed: int = 0
    failed: int = 0
    cancelled: int = 0
    total: int = 0


class VectorStoreExpiration(WireModel):
    anchor: Literal["last_active_at"] | str = "last_active_at"
    days: int


class VectorStore(WireModel):
    """A vector store; ``status`` is ``in_progress`` until every file is processed."""

    id: str
    object: Literal["vector_store"] | str = "vector_store"
    created_at: int | None = None
    name: str | None = None
    usage_bytes: int = 0
    file_counts: FileCounts = Field(default_factory=FileCounts)
    status: Literal["expired", "in_progress", "completed"] | str = "in_progress"
    expires_after: VectorStoreExpiration | None = None
    expires_at: int | None = None
    last_active_at: int | None = None
    metadata: dict[str, str] | None = None


class VectorStoreDeleted(WireModel):
    id: str
    object: Literal["vector_store.deleted"] | str = "vector_store.deleted"
    deleted: bool = True


class VectorStoreList(WireModel):
    """One page of ``GET /vector_stores``."""

    object: str = "list"
    data: list[VectorStore] = Field(default_factory=list)
    first_id: str | None = None
    last_id: str | None = None
    has_more: bool = False


class VectorStoreFileError(WireModel):
    code: Literal["server_error", "unsupported_file", "invalid_file"] | str
    message: str = ""


class VectorStoreFile(WireModel):
    """A file attached to a vector store; its ``id`` is the file's id."""

    id: str
    object: Literal["vector_store.file"] | str = "vector_store.file"
    usage_bytes: int = 0
    created_at: int | None = None
    vector_store_id: str | None = None
    status: VectorStoreFileStatus | str = "in_progress"
    last_error: VectorStoreFileError | None = None
    chunking_strategy: JsonObject | None = None
    attributes: dict[str, AttributeValue] | None = None


class VectorStoreFileDeleted(WireModel):
    """Detaching a file from a store; the file itself stays until ``files.delete``."""

    id: str
    object: Literal["vector_store.file.deleted"] | str = "vector_store.file.deleted"
    deleted: bool = True


class VectorStoreFileList(WireModel):
    """One page of ``GET /vector_stores/{id}/files``."""

    object: str = "list"
    data: list[VectorStoreFile] = Field(default_factory=list)
    first_id: str | None = None
    last_id: str | None = None
    has_more: bool = False


class VectorStoreFileBatch(WireModel):
    id: str
    object: Literal["vector_store.files_batch"] | str = "vector_store.files_batch"
    created_at: int | None = None
    vector_store_id: str | None = None
    status: VectorStoreFileStatus | str = "in_progress"
    file_counts: FileCounts = Field(default_factory=FileCounts)


class SearchResultContent(WireModel):
    type: Literal["text"] | str = "text"
    text: str = ""


class VectorStoreSearchResult(WireModel):
    file_id: str
    filename: str | None = None
    score: float | None = None
    attributes: dict[str, AttributeValue] | None = None
    content: list[SearchResultContent] = Field(default_factory=list)


class VectorStoreSearchResultsPage(WireModel):
    """The answer of ``POST /vector_stores/{id}/search``."""

    object: str = "vector_store.search_results.page"
    search_query: list[str] | str | None = None
    """What was searched (after ``rewrite_query``); the spec says a list, examples a string."""
    data: list[VectorStoreSearchResult] = Field(default_factory=list)
    has_more: bool = False
    next_page: str | None = None


# --- Method parameters ---------------------------------------------------------------------

ObjectLike = Mapping[str, object] | BaseModel


class PollOptions(TypedDict, total=False):
    """How the ``*_and_poll`` methods wait for processing to finish."""

    poll_interval: float
    """Seconds between polls (default 1)."""
    poll_timeout: float | None
    """Give up with ``PollTimeoutError`` after this many seconds (default 600; None: never)."""


class FileUploadParams(RequestOptions, total=False):
    purpose: FilePurpose | str
    """Default ``assistants`` (what ``file_search`` uses); ``user_data`` for general files."""
    filename: str
    """Required for raw bytes; defaults to the path's or file object's name."""
    expires_after: int | ObjectLike
    """Seconds after creation (3600 to 2592000), or ``{"anchor": "created_at", "seconds": n}``."""


class FileListParams(RequestOptions, total=False):
    purpose: str
    limit: int
    order: Literal["asc", "desc"]
    after: str


class VectorStoreCreateParams(RequestOptions, total=False):
    name: str
    description: str
    file_ids: Sequence[str]
    expires_after: int | ObjectLike
    """Days after last activity (1 to 365), or ``{"anchor": "last_active_at", "days": n}``."""
    chunking_strategy: ObjectLike
    metadata: Mapping[str, str]


class VectorStoreCreateAndPollParams(VectorStoreCreateParams, PollOptions, total=False):
    pass


class VectorStoreListParams(RequestOptions, total=False):
    limit: int
    order: Literal["asc", "desc"]
    after: str
    before: str


class VectorStoreSearchParams(RequestOptions, total=False):
    query: Required[str | Sequence[str]]
    max_num_results: int
    """1 to 50."""
    filters: ObjectLike
    """A comparison or compound filter over file ``attributes``."""
    ranking_options: ObjectLike
    rewrite_query: bool


class VectorStoreFileCreateParams(RequestOptions, total=False):
    attributes: Mapping[str, AttributeValue]
    """Up to 16 pairs that ``file_search`` filters can match."""
    chunking_strategy: ObjectLike


class VectorStoreFileCreateAndPollParams(VectorStoreFileCreateParams, PollOptions, total=False):
    pass


class VectorStoreFileUploadParams(VectorStoreFileCreateAndPollParams, total=False):
    filename: str
    """Required for raw bytes; defaults to the path's or file object's name."""


class VectorStoreFileListParams(VectorStoreListParams, total=False):
    filter: VectorStoreFileStatus


class FileBatchUploadParams(VectorStoreFileCreateAndPollParams, total=False):
    file_ids: Sequence[str]
    """Already uploaded files to add to the batch."""
