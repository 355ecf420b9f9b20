"""Keyword parameters of the client methods, as TypedDicts (PEP 692 ``**kwargs`` typing).

Values may be plain JSON-like dicts or wire models; see ``convert/request.py`` for how they
become the request body. Every method also takes ``RequestOptions``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pydantic import BaseModel
from typing_extensions import TypedDict

JsonObject = Mapping[str, Any]
ObjectLike = JsonObject | BaseModel
"""A JSON object: a plain dict, or any wire model (dumped without its unset fields)."""

InputParam = str | Sequence[ObjectLike] | ObjectLike
"""``input``: a string, a list of items, or (accepted, then wrapped in a list) a single item."""


class RequestOptions(TypedDict, total=False):
    """Per-call overrides accepted by every endpoint method."""

    extra_headers: Mapping[str, str | None] | None
    """Headers to add (``None`` removes a default header)."""
    extra_query: Mapping[str, object] | None
    extra_body: Mapping[str, object] | None
    """Fields merged into the JSON body as is, e.g. a server's own extensions."""
    timeout: float | None
    """Seconds for this call (connect capped at 5 s); ``None`` waits forever."""
    max_retries: int


class ResponseCreateParams(RequestOptions, total=False):
    """The body of ``POST /responses`` (see the wire reference §2)."""

    model: str
    input: InputParam
    instructions: str | None
    tools: Sequence[ObjectLike]
    tool_choice: str | ObjectLike
    parallel_tool_calls: bool | None
    max_output_tokens: int | None
    max_tool_calls: int | None
    temperature: float | None
    top_p: float | None
    top_logprobs: int | None
    text: ObjectLike
    reasoning: ObjectLike | None
    store: bool | None
    background: bool | None
    stream_options: ObjectLike | None
    previous_response_id: str | None
    conversation: str | ObjectLike | None
    include: Sequence[str] | None
    metadata: Mapping[str, str] | None
    prompt: ObjectLike | None
    prompt_cache_key: str | None
    prompt_cache_options: ObjectLike
    prompt_cache_retention: str | None
    safety_identifier: str | None
    user: str
    service_tier: str | None
    truncation: Literal["auto", "disabled"] | None
    context_management: Sequence[ObjectLike] | None
    moderation: ObjectLike | None


class InputTokensCountParams(RequestOptions, total=False):
    """The body of ``POST /responses/input_tokens``."""

    model: str
    input: InputParam
    instructions: str | None
    previous_response_id: str | None
    conversation: str | ObjectLike | None
    tools: Sequence[ObjectLike]
    tool_choice: str | ObjectLike
    parallel_tool_calls: bool | None
    reasoning: ObjectLike | None
    text: ObjectLike
    truncation: Literal["auto", "disabled"] | None
    personality: str


class CompactParams(RequestOptions, total=False):
    """The body of ``POST /responses/compact``."""

    model: str
    input: InputParam
    instructions: str | None
    previous_response_id: str | None
    prompt_cache_key: str | None
    prompt_cache_options: ObjectLike
    prompt_cache_retention: str | None
    service_tier: str | None


class RetrieveParams(RequestOptions, total=False):
    """Query of ``GET /responses/{id}``."""

    include: Sequence[str]
    include_obfuscation: bool


class ListParams(RequestOptions, total=False):
    """Query of the paginated list endpoints."""

    after: str
    limit: int
    order: Literal["asc", "desc"]
    include: Sequence[str]
