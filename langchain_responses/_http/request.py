"""Request descriptions and how they become ``httpx.Request`` objects (no I/O)."""

from __future__ import annotations

import enum
import functools
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from langchain_responses._http.config import ClientConfig, TimeoutLike, to_timeout
from langchain_responses.errors import InvalidRequestError

logger = logging.getLogger("langchain_responses")


class Default(enum.Enum):
    """Marks a per-call setting the caller left to the client's default."""

    DEFAULT = 0


DEFAULT = Default.DEFAULT


@dataclass(frozen=True)
class RequestOptions:
    """Per-call overrides every endpoint accepts."""

    extra_headers: Mapping[str, str | None] | None = None
    extra_query: Mapping[str, object] | None = None
    extra_body: Mapping[str, object] | None = None
    timeout: TimeoutLike | Default = DEFAULT
    max_retries: int | None = None


@dataclass(frozen=True)
class RequestSpec:
    """One API call: method, path below the base URL, JSON body and query."""

    method: str
    path: str
    body: Mapping[str, Any] | None = None
    query: Mapping[str, object] = field(default_factory=dict)
    options: RequestOptions = field(default_factory=RequestOptions)
    files: Mapping[str, tuple[str, bytes, str]] | None = None
    """Multipart uploads: field name -> (filename, content, media type)."""

    def max_retries(self, config: ClientConfig) -> int:
        """The retry budget for this call."""
        retries = self.options.max_retries
        return config.max_retries if retries is None else retries


def encode_query(query: Mapping[str, object]) -> httpx.QueryParams:
    """SDK-style query encoding: lists as repeated ``key[]``, booleans as ``true``/``false``."""
    pairs: list[tuple[str, str | int | float | bool | None]] = []
    for key, value in query.items():
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            pairs.extend((f"{key}[]", _scalar(item)) for item in value)
        else:
            pairs.append((key, _scalar(value)))
    return httpx.QueryParams(pairs)


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def encode_json(body: Mapping[str, Any]) -> bytes:
    """Compact UTF-8 JSON, as the API expects it."""
    try:
        return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise InvalidRequestError(
            f"The request body is not JSON-serialisable ({exc}); pass plain JSON values."
        ) from exc


@functools.lru_cache(maxsize=256)
def parse_url(url: str) -> httpx.URL:
    """``url`` parsed, without a query (the query always comes from ``params``).

    Parsing a URL, and merging even empty ``params`` into it, would be most of the cost of
    building a request; ``httpx.URL`` is immutable, so one parse serves every request to it.
    """
    return httpx.URL(url, query=None)


def build_request(
    config: ClientConfig, spec: RequestSpec, auth: Mapping[str, str]
) -> httpx.Request:
    """The ``httpx.Request`` for one attempt of ``spec``."""
    opts = spec.options
    headers: dict[str, str] = {**config.default_headers, **auth}
    body: dict[str, Any] | None = None
    if spec.body is not None or opts.extra_body:
        body = {**(spec.body or {}), **(opts.extra_body or {})}
    if body is not None and spec.files is None:
        headers["content-type"] = "application/json"
    for name, value in (opts.extra_headers or {}).items():
        if value is None:
            headers.pop(name.lower(), None)
        else:
            headers[name.lower()] = value
    query = {**config.default_query, **spec.query, **(opts.extra_query or {})}
    timeout = config.timeout if opts.timeout is DEFAULT else to_timeout(opts.timeout)
    return httpx.Request(
        spec.method,
        parse_url(config.base_url + spec.path),
        params=encode_query(query) if query else None,
        headers=headers,
        content=encode_json(body) if body is not None and spec.files is None else None,
        data=body if spec.files is not None else None,
        files=spec.files,
        extensions={"timeout": timeout.as_dict()},
    )
